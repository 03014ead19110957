// `bg-notify replay`: feeds a recording through the shipped hooks (src/replay.ts) and prints what each
// handler did and every notice that reached the parent.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describeError, isBgNotifyError } from "../../core/errors.js";
import type { Mode } from "../../core/types.js";
import {
  type HandlerRun,
  type ReplayDelivery,
  type ReplayedEvent,
  type ReplayReport,
  replay,
} from "../../replay/engine.js";
import { loadHookCommands } from "../../replay/hooks-file.js";
import { parseRecording, type RecordedEvent } from "../../replay/recording.js";
import { loadConfig } from "../../store/config-file.js";
import {
  CliError,
  COMMON_OPTIONS,
  EXIT_FAILURE,
  EXIT_OK,
  numberOption,
  type Parsed,
  stringOption,
  usageError,
} from "../args.js";
import type { Command } from "../command.js";
import { indent, type Style, shorten } from "../output.js";

const MODES: readonly Mode[] = ["coalesce", "summarize", "off"];
/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_INTERRUPTED = 130;

const HELP = `Usage: bg-notify replay <file.jsonl | -> [options]

Runs recorded hook inputs ({"offsetMs": …, "input": …} lines as Claude Code recordings have, or bare
hook-input JSON lines) through the plugin's dist/ hook entries, each handler hooks/hooks.json names for
an event as its own process, in parallel, as Claude Code does. Prints, per event, each handler's exit
code, stdout/stderr and whether it held the notice, then every notice delivered to the parent in full.
A turn the recording has for a notice the plugin held (its tool calls, its Stop) is not replayed:
Claude Code starts none for a held notice.

Options:
  --speed N          play the recorded timing N times faster (default 1: as recorded)
  --instant          no waiting: hooks run on a virtual clock; deterministic (same output every time)
  --mode MODE        coalesce | summarize | off (default: BG_NOTIFY_MODE, else coalesce)
  --state-dir DIR    keep the replay's state in DIR (default: a fresh temp dir, removed afterwards)
  --no-echo          do not fire Claude Code's wake-up prompt after a rewake
  --plugin-root DIR  replay through another copy of the plugin (default: the one this CLI is in)
  --json             print one JSON report instead of text
  -h, --help         show this help

Exit status: 0 replayed; 1 unreadable recording, missing hook files or a handler that crashed, was
killed or exited with a code other than 0 and 2; 2 bad arguments; 130 interrupted (Ctrl-C), with the
hook processes stopped and the temp dir removed.`;

function readRecording(file: string, stdinText: () => Promise<string>): Promise<string> {
  if (file === "-") return stdinText();
  try {
    return Promise.resolve(readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError(`${file}: no such file`);
    if (code === "EISDIR") throw new CliError(`${file} is a directory, not a recording`);
    throw new CliError(`cannot read ${file}: ${describeError(error)}`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString();
  return text;
}

/** Every hook script hooks.json names must exist before anything runs. */
function checkHookFiles(pluginRoot: string): void {
  let commands: ReturnType<typeof loadHookCommands>;
  try {
    commands = loadHookCommands(pluginRoot);
  } catch (error) {
    throw new CliError(`cannot load ${join(pluginRoot, "hooks", "hooks.json")}: ${describeError(error)}`);
  }
  for (const command of commands) {
    for (const file of [command.bundle, ...command.args.filter((a) => a.endsWith(".js"))]) {
      if (file !== undefined && !existsSync(file))
        throw new CliError(`${file} is missing (hooks.json names it); run \`npm run build\``);
    }
  }
}

const seconds = (ms: number) => `+${(ms / 1000).toFixed(3)} s`;

function deliveryKind(delivery: ReplayDelivery): string {
  if (delivery.kind === "rewake") return "rewake: woke the parent";
  if (delivery.kind === "stop") return "Stop block: kept the turn going";
  return "context: rode on a turn already running";
}

interface Printer {
  event(event: ReplayedEvent): void;
  asyncRun(run: HandlerRun, event: ReplayedEvent): void;
}

function textPrinter(out: (text: string) => void, style: Style, clock: "real" | "virtual"): Printer {
  const streams = (run: HandlerRun): string[] => {
    const lines: string[] = [];
    for (const [name, raw] of [
      ["stdout", run.stdout],
      ["stderr", run.stderr],
    ] as const) {
      const text = raw.trim();
      if (!text) continue;
      // The stream a delivery came on is shortened here: the delivery itself is printed in full.
      const carrier =
        run.delivery === undefined
          ? undefined
          : run.delivery.kind === "rewake" && run.stderr.trim()
            ? "stderr"
            : "stdout";
      const carries = name === carrier;
      const body = carries ? `${shorten(text, 100)} (the delivery, in full below)` : text;
      lines.push(indent(`${name}: ${body}`, "       "));
    }
    return lines;
  };
  const delivery = (d: ReplayDelivery): string =>
    [
      style.cyan(`       ┌ delivery (${deliveryKind(d)}) at ${seconds(d.atMs)}, ${d.text.length} chars`),
      ...d.text.split("\n").map((line) => `${style.cyan("       │")} ${line}`),
      style.cyan("       └"),
    ].join("\n");
  const exit = (run: HandlerRun) => {
    if (run.signal) return style.red(`killed (${run.signal})`);
    const text = `exit ${run.exitCode}`;
    return run.exitCode === 0 ? text : run.exitCode === 2 ? style.yellow(text) : style.red(text);
  };
  return {
    event(event) {
      const lines = [
        `${style.bold(`#${event.index}`)} ${style.dim(seconds(event.offsetMs))}  ${event.summary.startsWith(event.event) ? style.bold(event.summary) : `${style.bold(event.event)} · ${event.summary}`}`,
      ];
      const anyRuns = event.runs.length > 0;
      for (const run of event.runs) {
        const took = clock === "real" ? style.dim(`  ${run.durationMs} ms`) : "";
        lines.push(
          `     ${run.handler}  ${exit(run)}${run.blocked ? `  ${style.yellow("HELD")}` : ""}${took}`,
        );
        lines.push(...streams(run));
        if (run.delivery) lines.push(delivery(run.delivery));
      }
      if (!anyRuns) lines.push(style.dim("     (no handler for this event)"));
      out(lines.join("\n"));
    },
    asyncRun(run, event) {
      const woke = run.delivery?.kind === "rewake" ? `  ${style.yellow("→ WOKE THE PARENT")}` : "";
      const lines = [
        `     ↳ ${run.handler} (async, from #${event.index}) ${exit(run)} at ${seconds(run.startedAtMs + run.durationMs)}, after ${run.durationMs} ms${woke}`,
        ...streams(run),
      ];
      if (run.delivery) lines.push(delivery(run.delivery));
      out(lines.join("\n"));
    },
  };
}

function summaryText(report: ReplayReport, style: Style, timing: string): string {
  const wakeUps = report.nativeWakeUps + report.pluginWakeUps;
  const kinds = new Map<string, number>();
  for (const d of report.deliveries) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  const byKind = [...kinds].map(([k, n]) => `${n} ${k}`).join(", ");
  const errors = report.handlerErrors > 0 ? style.red(String(report.handlerErrors)) : "0";
  return [
    style.bold(`Summary (${timing})`),
    `  completion notices:  ${report.notices} (${report.blockedNotices} held by bg-notify: in the conversation, no turn of their own; ${report.nativeWakeUps} started a turn)`,
    `  parent wake-ups:     ${style.bold(String(wakeUps))} (${report.nativeWakeUps} native + ${report.pluginWakeUps} by bg-notify)`,
    `  deliveries:          ${report.deliveries.length}${byKind ? ` (${byKind})` : ""}`,
    `  handler errors:      ${errors}`,
  ].join("\n");
}

export const replayCommand: Command = {
  name: "replay",
  summary: "run recorded hook inputs through the plugin's hooks and show what each did",
  help: HELP,
  maxPositionals: 1,
  options: {
    ...COMMON_OPTIONS,
    speed: { type: "string" },
    instant: { type: "boolean" },
    mode: { type: "string" },
    "state-dir": { type: "string" },
    "no-echo": { type: "boolean" },
    "plugin-root": { type: "string" },
  },

  async run(parsed: Parsed, { io, pluginRoot }) {
    const file = parsed.positionals[0];
    if (file === undefined) throw usageError("replay needs a recording: bg-notify replay <file.jsonl | ->");
    const instant = parsed.values["instant"] === true;
    const speed = numberOption(parsed, "speed", (n) => n > 0, "a number above 0");
    if (instant && speed !== undefined) throw usageError("--speed and --instant cannot be used together");
    const mode = stringOption(parsed, "mode");
    if (mode !== undefined && !MODES.includes(mode as Mode))
      throw usageError(`--mode must be coalesce, summarize or off, not '${mode}'`);
    const rootOption = stringOption(parsed, "plugin-root");
    const root = rootOption !== undefined ? resolve(io.cwd, rootOption) : pluginRoot();
    const stateOption = stringOption(parsed, "state-dir");
    const json = parsed.values["json"] === true;

    const text = await readRecording(file, () => readAll(io.stdin));
    const name = file === "-" ? "stdin" : file;
    let recording: RecordedEvent[];
    try {
      recording = parseRecording(text);
    } catch (error) {
      if (isBgNotifyError(error, "EINPUT")) throw new CliError(`${name}: ${error.message}`);
      throw error;
    }
    if (recording.length === 0) throw new CliError(`${name} holds no hook inputs`);
    checkHookFiles(root);

    // The project is always a fresh directory: a replay never reads or writes a real project's state.
    const scratch = mkdtempSync(join(tmpdir(), "bg-notify-replay-"));
    const stateDir = stateOption !== undefined ? resolve(io.cwd, stateOption) : join(scratch, "state");
    const cleanUp = () => rmSync(scratch, { recursive: true, force: true });
    // Ctrl-C stops the hook processes and still cleans up.
    const abort = new AbortController();
    io.onInterrupt(() => abort.abort());
    try {
      mkdirSync(stateDir, { recursive: true });
      const env: NodeJS.ProcessEnv = { ...io.env, ...(mode !== undefined ? { BG_NOTIFY_MODE: mode } : {}) };
      const { config, warnings } = loadConfig({ env: { ...env, CLAUDE_PROJECT_DIR: scratch } });
      for (const warning of warnings) io.err(warning);
      const clock = instant ? "virtual" : "real";
      const timing = instant
        ? "virtual clock"
        : speed === undefined || speed === 1
          ? "recorded timing"
          : `×${speed}`;
      const printer = json ? undefined : textPrinter(io.out, io.style, clock);
      if (!json)
        io.out(
          io.style.dim(`replaying ${name}: ${recording.length} hook inputs, mode ${config.mode}, ${timing}`),
        );
      let report: ReplayReport;
      try {
        report = await replay(recording, {
          pluginRoot: root,
          stateDir,
          projectDir: scratch,
          env,
          clock,
          scratchDir: scratch,
          signal: abort.signal,
          ...(speed !== undefined ? { speed } : {}),
          simulateEcho: parsed.values["no-echo"] !== true,
          ...(printer ? { onEvent: printer.event, onAsyncRun: printer.asyncRun } : {}),
          onProgress: ({ done, total, atMs, event }) =>
            io.progress.show(`bg-notify replay: ${done + 1}/${total} ${event} at ${seconds(atMs)}`),
        });
      } catch (error) {
        if (!abort.signal.aborted) throw error;
        io.progress.clear();
        io.err("bg-notify replay: interrupted");
        return EXIT_INTERRUPTED;
      }
      io.progress.clear();
      const wakeUps = report.nativeWakeUps + report.pluginWakeUps;
      if (json) {
        io.out(
          JSON.stringify(
            {
              file: name,
              mode: config.mode,
              batchWindowMs: config.batchWindowMs,
              ...(instant ? {} : { speed: speed ?? 1 }),
              ...(stateOption !== undefined ? { stateDir } : {}),
              ...report,
              wakeUps,
            },
            null,
            2,
          ),
        );
      } else {
        io.out(`\n${summaryText(report, io.style, timing)}`);
        if (stateOption !== undefined) io.out(io.style.dim(`state kept in ${stateDir}`));
      }
      if (report.handlerErrors > 0) {
        io.err(
          `bg-notify replay: ${report.handlerErrors} handler run(s) crashed, were killed or exited with an unexpected code`,
        );
        return EXIT_FAILURE;
      }
      return EXIT_OK;
    } finally {
      io.progress.clear();
      cleanUp();
    }
  },
};
