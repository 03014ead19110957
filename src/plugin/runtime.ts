// The process shell around a hook handler: read stdin, run, map the result to stdout and an exit code.
// Whatever goes wrong inside becomes one line on stderr and exit 0; only a handler's deliberate
// `exitCode: 2` (the rewake) ever blocks or wakes anything.
import { readSync, writeSync } from "node:fs";
import { MAX_STDIN_BYTES, parseHookInput } from "../claude/hook-input.js";
import { describeError, isBgNotifyError } from "../core/errors.js";
import { LAYER_MARKER_ENV, LAYER_MARKER_VALUE } from "../core/protocol.js";
import {
  createHookContext,
  type HookContext,
  type HookContextOptions,
  type HookHandler,
  type HookResult,
} from "./context.js";
import { type HookName, hookSpec } from "./hook-table.js";

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
  /** Builds the handler's context; tests pass stores that fail on purpose. Default: createHookContext. */
  createContext?: (options: HookContextOptions) => HookContext;
  /** A hook off the user's path (the hook table's `tidies`): removes what the store no longer needs first. */
  tidies?: boolean;
}

/**
 * `warnings` are problems this run met and survived, said where the person sees them. `standing` ones (a
 * config file that cannot be used, a state directory bg-notify will not touch) hold for every hook of the
 * session: the person is told once, at SessionStart; other hooks put them on stderr.
 */
function toRun(
  event: string,
  result: HookResult,
  warnings: readonly string[],
  standing: readonly string[] = [],
): HookRun {
  const exitCode = result.exitCode === 2 ? 2 : 0;
  const once = event === "SessionStart";
  const lines = [...new Set(once ? [...standing, ...warnings] : warnings)];
  let stdout = "";
  let stderr = [result.stderr, ...(once ? [] : standing)].filter(Boolean).join("\n");
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

/** A handler's run, mapped to output, whose state changes may still be held by the store (see `holdClaims`). */
export interface PreparedRun {
  run: HookRun;
  /**
   * Commits what the handler left held and returns what may be printed: `run` itself, or — when the
   * commit failed — a warning alone, so that nothing is printed whose state change did not commit.
   * Synchronous, so a hook process can print and exit with nothing in between.
   */
  finish(): HookRun;
}

/**
 * `work`'s result, or `late()`'s once `ms` have passed. The timer is set only if the work is still going
 * when the event loop next turns: work that never waits (most hooks) then makes no timer at all, and
 * node's first timer in a process costs about half a millisecond.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  const started = Date.now();
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = setImmediate(() => {
      timer = setTimeout(() => resolve(late()), Math.max(0, ms - (Date.now() - started)));
    });
    const done = () => {
      clearImmediate(arm);
      if (timer) clearTimeout(timer);
    };
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

/** Runs a handler up to the point of printing. Hook processes commit, print and exit in one step. */
export async function prepareHook(
  event: string,
  expected: string | undefined,
  handler: HookHandler,
  raw: string,
  options: RunHookOptions = {},
): Promise<PreparedRun> {
  let ctx: HookContext | undefined;
  const warnings = () => (ctx ? [...ctx.warnings, ...ctx.store.warnings] : []);
  // The hooks module holds in this session (src/module/register.ts marked Claude Code's process): one
  // layer holds, so the command hooks record, write and say nothing.
  if ((options.env ?? process.env)[LAYER_MARKER_ENV] === LAYER_MARKER_VALUE) {
    const run: HookRun = { stdout: "", stderr: "", exitCode: 0 };
    return { run, finish: () => run };
  }
  try {
    const input = parseHookInput(raw, expected);
    const { deadlineMs: _deadline, createContext = createHookContext, tidies, ...contextOptions } = options;
    ctx = createContext({ ...contextOptions, source: event });
    // Off is off: no hook records, writes or says anything, and every event passes as without the plugin.
    if (ctx.config.mode === "off") {
      const run = toRun(event, {}, ctx.warnings, ctx.standing);
      return { run, finish: () => run };
    }
    const store = ctx.store;
    if (tidies) store.tidy?.();
    store.holdClaims?.();
    const work = handler(input, ctx);
    // A handler still running past the deadline may fail later; nobody is listening by then.
    work.catch(() => {});
    const deadline = options.deadlineMs;
    let gaveUp = false;
    const result =
      deadline === undefined
        ? await work
        : await withDeadline(work, deadline, () => {
            gaveUp = true;
            return {
              stderr: `bg-notify: ${event} gave up after ${deadline} ms (state lock busy?); event passed through unchanged`,
            };
          });
    // Whatever the abandoned handler claimed is not printed, so it must not be committed either.
    if (gaveUp) store.abandon?.();
    const run = toRun(event, result, warnings(), ctx.standing);
    return {
      run,
      finish: () => {
        const outcome = store.commitHeld?.() ?? { ok: true, committed: false };
        if (outcome.ok) return run;
        return toRun(
          event,
          {
            stderr: `bg-notify ${event}: could not commit (${outcome.reason ?? "unknown"}); nothing was delivered and it stays owed`,
          },
          warnings(),
          ctx?.standing,
        );
      },
    };
  } catch (error) {
    ctx?.store.abandon?.();
    // A state directory bg-notify will not touch: nothing was held or written, and the event passes.
    if (isBgNotifyError(error, "EUNSAFE")) {
      const run = toRun(event, {}, [], [...(ctx?.standing ?? []), `bg-notify: ${describeError(error)}`]);
      return { run, finish: () => run };
    }
    const prefix = isBgNotifyError(error, "EINPUT")
      ? "bad input"
      : isBgNotifyError(error)
        ? "skipped"
        : "internal error";
    const run = toRun(
      event,
      { stderr: `bg-notify ${event}: ${prefix}: ${describeError(error)}` },
      warnings(),
      ctx?.standing,
    );
    return { run, finish: () => run };
  }
}

/** Runs a handler and commits what it changed: what a hook process would print, without a process. */
export async function runHook(
  event: string,
  expected: string | undefined,
  handler: HookHandler,
  raw: string,
  options: RunHookOptions = {},
): Promise<HookRun> {
  return (await prepareHook(event, expected, handler, raw, options)).finish();
}

// The hook's own stdin and stdout/stderr are read and written with plain fd calls: creating
// process.stdin/stdout loads node's stream machinery, several ms of every hook's start-up
// (docs/PERFORMANCE.md). A non-blocking descriptor (EAGAIN) or any other failure hands the rest over
// to the streams, which behave as before.

function tooLarge(max: number): Error {
  return Object.assign(new Error(`stdin is larger than ${max} bytes`), { code: "EINPUT" });
}

export async function readStdinFd(max = MAX_STDIN_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EOF") break;
      for await (const chunk of process.stdin) {
        const more = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
        size += more.length;
        if (size > max) throw tooLarge(max);
        chunks.push(more);
      }
      break;
    }
    if (n === 0) break;
    size += n;
    if (size > max) throw tooLarge(max);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function writeFd(fd: 1 | 2, text: string): Promise<void> {
  if (!text) return Promise.resolve();
  const data = Buffer.from(text.endsWith("\n") ? text : `${text}\n`);
  let written = 0;
  try {
    while (written < data.length) written += writeSync(fd, data, written);
  } catch {
    const stream = fd === 1 ? process.stdout : process.stderr;
    return new Promise((resolve) => {
      stream.write(data.subarray(written), () => resolve());
    });
  }
  return Promise.resolve();
}

/** Longer than a read of input already waiting in the pipe takes. */
const STDIN_WAIT_MS = 5;

/** The whole life of a hook process, as the hook table describes it. Entry files call only this. */
export async function runHookProcess(name: HookName, handler: HookHandler): Promise<void> {
  const spec = hookSpec(name);
  const event = spec.asyncRewake ? name : spec.event;
  const expected = spec.event;
  const options: RunHookOptions = {
    deadlineMs: spec.deadlineMs,
    ...(spec.lockRetries !== undefined ? { lockRetries: spec.lockRetries } : {}),
    ...(spec.tidies ? { tidies: true } : {}),
  };
  const bail = (error: unknown) => {
    process.stderr.write(`bg-notify ${event}: internal error: ${describeError(error)}\n`);
    process.exit(0);
  };
  process.on("uncaughtException", bail);
  process.on("unhandledRejection", bail);
  let run: HookRun;
  try {
    const reading = Date.now();
    const raw = await readStdinFd();
    // Claude Code writes the input as it starts the hook, so it arrived with the process, unless reading
    // had to wait for it (a harness that starts hooks ahead of their input): then it arrived just now.
    // (The process's start from its uptime: `performance.timeOrigin` would load perf_hooks, ~1 ms.)
    const receivedAt =
      Date.now() - reading > STDIN_WAIT_MS ? Date.now() : Math.round(Date.now() - process.uptime() * 1000);
    const prepared = await prepareHook(event, expected, handler, raw, { receivedAt, ...options });
    // From the commit to the exit nothing waits on the event loop: a batch marked delivered is printed at
    // once, and only node's own exit (1–3 ms, docs/RELIABILITY.md) is left in which a kill could lose it.
    run = prepared.finish();
  } catch (error) {
    run = { stdout: "", stderr: `bg-notify ${event}: bad input: ${describeError(error)}`, exitCode: 0 };
  }
  await Promise.all([writeFd(1, run.stdout), writeFd(2, run.stderr)]);
  // Exit at once: lock heartbeats and other idle timers must not hold the user's prompt.
  process.exit(run.exitCode);
}
