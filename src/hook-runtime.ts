// The process shell around a hook handler: read stdin, run, map the result to stdout and an exit code.
// Whatever goes wrong inside becomes one line on stderr and exit 0; only a handler's deliberate
// `exitCode: 2` (the rewake) ever blocks or wakes anything.
import { describeError, isBgNotifyError } from "./errors.js";
import {
  createHookContext,
  type HookContextOptions,
  type HookHandler,
  type HookResult,
} from "./hook-context.js";
import { MAX_STDIN_BYTES, parseHookInput } from "./hook-input.js";

export interface HookRun {
  stdout: string;
  stderr: string;
  exitCode: 0 | 2;
}

export async function readStdin(
  stream: NodeJS.ReadableStream = process.stdin,
  max = MAX_STDIN_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > max) throw Object.assign(new Error(`stdin is larger than ${max} bytes`), { code: "EINPUT" });
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface RunHookOptions extends HookContextOptions {
  /** Give up (exit 0, event passes untouched) after this long. */
  deadlineMs?: number;
}

function finish(event: string, result: HookResult, warnings: readonly string[]): HookRun {
  const exitCode = result.exitCode === 2 ? 2 : 0;
  const lines = [...new Set(warnings)];
  let stdout = "";
  let stderr = result.stderr ?? "";
  if (result.stdout && Object.keys(result.stdout).length > 0) {
    const out = { ...result.stdout };
    if (lines.length > 0 && exitCode === 0)
      out["systemMessage"] = [out["systemMessage"], ...lines].filter(Boolean).join("\n");
    stdout = JSON.stringify(out);
  } else if (lines.length > 0) {
    if (exitCode === 0 && event !== "rewake") stdout = JSON.stringify({ systemMessage: lines.join("\n") });
    else if (exitCode === 0) stderr = [stderr, ...lines].filter(Boolean).join("\n");
  }
  return { stdout, stderr, exitCode };
}

export async function runHook(
  event: string,
  expected: string | undefined,
  handler: HookHandler,
  raw: string,
  options: RunHookOptions = {},
): Promise<HookRun> {
  let warnings: string[] = [];
  try {
    const input = parseHookInput(raw, expected);
    const ctx = createHookContext({ ...options, source: event });
    warnings = ctx.warnings;
    const work = handler(input, ctx);
    const deadline = options.deadlineMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result =
      deadline === undefined
        ? await work
        : await Promise.race([
            work,
            new Promise<HookResult>((resolve) => {
              timer = setTimeout(
                () =>
                  resolve({
                    stderr: `bg-notify: ${event} gave up after ${deadline} ms (state lock busy?); event passed through unchanged`,
                  }),
                deadline,
              );
            }),
          ]);
    if (timer) clearTimeout(timer);
    return finish(event, result, warnings);
  } catch (error) {
    const prefix = isBgNotifyError(error, "EINPUT")
      ? "bad input"
      : isBgNotifyError(error)
        ? "skipped"
        : "internal error";
    return finish(event, { stderr: `bg-notify ${event}: ${prefix}: ${describeError(error)}` }, warnings);
  }
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (!text) return Promise.resolve();
  return new Promise((resolve) => {
    stream.write(text.endsWith("\n") ? text : `${text}\n`, () => resolve());
  });
}

/** The whole life of a hook process. Entry files call only this. */
export async function runHookProcess(
  event: string,
  expected: string | undefined,
  handler: HookHandler,
  options: RunHookOptions = {},
): Promise<void> {
  const bail = (error: unknown) => {
    process.stderr.write(`bg-notify ${event}: internal error: ${describeError(error)}\n`);
    process.exit(0);
  };
  process.on("uncaughtException", bail);
  process.on("unhandledRejection", bail);
  let run: HookRun;
  try {
    const raw = await readStdin();
    run = await runHook(event, expected, handler, raw, options);
  } catch (error) {
    run = { stdout: "", stderr: `bg-notify ${event}: bad input: ${describeError(error)}`, exitCode: 0 };
  }
  await Promise.all([write(process.stdout, run.stdout), write(process.stderr, run.stderr)]);
  // Exit at once: lock heartbeats and other idle timers must not hold the user's prompt.
  process.exit(run.exitCode);
}
