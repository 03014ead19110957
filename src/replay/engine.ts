// Replays recorded hook inputs through the shipped hook bundles, as Claude Code would: every handler that
// hooks/hooks.json names for an event runs as its own process, in parallel; sync ones are awaited, async
// (asyncRewake) ones run on. Used by `bg-notify replay`, the demo and the fixture tests.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { holdsPrompt } from "../claude/hook-output.js";
import { parseTaskNotification } from "../claude/task-notification.js";
import {
  CLOCK_FILE_ENV,
  CLOCK_WAIT_FILE_ENV,
  readClockFile,
  writeNumberFile,
} from "../plugin/virtual-clock.js";
import { commandRunsFor, type HookCommand, loadHookCommands } from "./hooks-file.js";
import { isTurnOfHeld, type RecordedEvent } from "./recording.js";

export interface HandlerRun {
  event: string;
  handler: string;
  async: boolean;
  startedAtMs: number;
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  blocked: boolean;
  delivery?: ReplayDelivery;
}

export interface ReplayDelivery {
  /** rewake: woke the parent (exit 2); context: rode on a turn already running; stop: kept the turn going. */
  kind: "rewake" | "context" | "stop";
  atMs: number;
  handler: string;
  text: string;
}

export interface ReplayedEvent {
  index: number;
  offsetMs: number;
  event: string;
  summary: string;
  runs: HandlerRun[];
}

export interface ReplayReport {
  clock: ReplayClock;
  events: ReplayedEvent[];
  deliveries: ReplayDelivery[];
  /** Notices that reached the parent natively (not blocked): each one is a wake-up. */
  nativeWakeUps: number;
  /** Wake-ups the plugin caused (rewake exits). */
  pluginWakeUps: number;
  notices: number;
  blockedNotices: number;
  /** Handler runs that crashed, were killed or exited with a code other than 0 or 2. */
  handlerErrors: number;
}

/**
 * real: hooks read the real clock and recorded gaps are waited out (scaled by `speed`).
 * virtual: deterministic, no waiting; see `replayVirtual`.
 */
export type ReplayClock = "real" | "virtual";

export interface ReplayProgress {
  done: number;
  total: number;
  /** Milliseconds of replay time since the first event. */
  atMs: number;
  /** The hook event about to fire. */
  event: string;
}

export interface ReplayOptions {
  pluginRoot: string;
  /** Where the hooks keep state; omitted, the project's own `.claude/bg-notify`, found as Claude Code's hooks find it. */
  stateDir?: string;
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  /** 1 = recorded timing, 2 = twice as fast; 0 or Infinity = no waiting between events. */
  speed?: number;
  /** Fire Claude Code's wake-up echo prompt after each rewake delivery, as the real CLI does. */
  simulateEcho?: boolean;
  clock?: ReplayClock;
  /** Where the virtual clock's files go (default: a temp dir); removed afterwards either way. */
  scratchDir?: string;
  /** After an event's sync handlers have finished (async ones are reported through `onAsyncRun`). */
  onEvent?: (event: ReplayedEvent) => void;
  onAsyncRun?: (run: HandlerRun, event: ReplayedEvent) => void;
  /** Before each recorded event is fired. */
  onProgress?: (progress: ReplayProgress) => void;
  /** Aborting kills every hook process still running and rejects with the signal's reason. */
  signal?: AbortSignal;
}

function summarize(input: Record<string, unknown>): string {
  const event = String(input["hook_event_name"]);
  const prompt = input["prompt"];
  if (typeof prompt === "string") {
    const id = prompt.match(/<task-id>([^<]*)<\/task-id>/)?.[1];
    const status = prompt.match(/<status>([^<]*)<\/status>/)?.[1];
    if (id) return `notice: task ${id} ${status ?? ""}`.trim();
    if (prompt.startsWith("<task-notification>")) return "wake-up echo";
    return `prompt: ${JSON.stringify(prompt.slice(0, 60))}`;
  }
  if (typeof input["tool_name"] === "string") return `${event} ${input["tool_name"]}`;
  if (typeof input["agent_id"] === "string") return `${event} ${input["agent_id"]}`;
  if (typeof input["source"] === "string") return `${event} (${input["source"]})`;
  return event;
}

function classify(run: HandlerRun, atMs: number): void {
  if (run.async) {
    if (run.exitCode === 2)
      run.delivery = { kind: "rewake", atMs, handler: run.handler, text: (run.stderr || run.stdout).trim() };
    return;
  }
  if (run.exitCode === 2) run.blocked = true;
  if (run.exitCode !== 0 || !run.stdout.trim()) return;
  let out: Record<string, unknown>;
  try {
    out = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    return;
  }
  const specific = (out["hookSpecificOutput"] ?? {}) as Record<string, unknown>;
  if (holdsPrompt(out)) {
    run.blocked = true;
    if (run.event === "Stop" && typeof out["reason"] === "string") {
      run.delivery = { kind: "stop", atMs, handler: run.handler, text: out["reason"] };
    }
  }
  if (typeof specific["additionalContext"] === "string") {
    run.delivery = { kind: "context", atMs, handler: run.handler, text: specific["additionalContext"] };
  }
}

export function echoPrompt(text: string): string {
  return `<task-notification>\n<summary>Stop hook feedback</summary>\n</task-notification>\n<system-reminder>\nStop hook blocking error from command "UserPromptSubmit": ${text}\n</system-reminder>`;
}

const VIRTUAL_SLACK_MS = 120_000;

/** A pause that an abort cuts short (the caller then checks the signal). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** One handler process: `done` is set once it has exited and its output is classified. */
interface LiveRun {
  seq: number;
  command: HookCommand;
  event: ReplayedEvent;
  waitFile?: string;
  finished: Promise<HandlerRun>;
  done?: HandlerRun;
  kill(): void;
}

function startHandler(
  command: HookCommand,
  input: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  elapsed: () => number,
): { finished: Promise<HandlerRun>; kill: () => void } {
  const startedAtMs = elapsed();
  const child = spawn(command.command === "node" ? process.execPath : command.command, command.args, {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const finished = new Promise<HandlerRun>((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), command.timeoutSec * 1000);
    child.on("error", (error) => {
      stderr += String(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const atMs = elapsed();
      const run: HandlerRun = {
        event: command.event,
        handler: command.name,
        async: command.async,
        startedAtMs,
        durationMs: atMs - startedAtMs,
        exitCode: code,
        signal,
        stdout,
        stderr,
        blocked: false,
      };
      classify(run, atMs);
      resolve(run);
    });
  });
  child.stdin.on("error", () => {});
  child.stdin.end(JSON.stringify(input));
  return {
    finished,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

function isNotice(input: Record<string, unknown>): boolean {
  return typeof input["prompt"] === "string" && parseTaskNotification(input["prompt"]) !== undefined;
}

/** Bookkeeping shared by both clocks: events, counts, deliveries, handler order. */
class ReplayRecorder {
  readonly report: ReplayReport;
  private index = 0;
  private readonly heldPrompts = new Set<string>();

  constructor(
    clock: ReplayClock,
    private readonly commands: readonly HookCommand[],
    private readonly options: ReplayOptions,
  ) {
    this.report = {
      clock,
      events: [],
      deliveries: [],
      nativeWakeUps: 0,
      pluginWakeUps: 0,
      notices: 0,
      blockedNotices: 0,
      handlerErrors: 0,
    };
  }

  handlersFor(input: Record<string, unknown>): HookCommand[] {
    return this.commands.filter((c) => commandRunsFor(c, input));
  }

  /** Whether a recorded event happens under the plugin: not the turn of a notice it held (isTurnOfHeld). */
  happensUnderPlugin(input: Record<string, unknown>): boolean {
    return !isTurnOfHeld(input, this.heldPrompts);
  }

  openEvent(input: Record<string, unknown>, offsetMs: number): ReplayedEvent {
    const event: ReplayedEvent = {
      index: this.index++,
      offsetMs,
      event: String(input["hook_event_name"]),
      summary: summarize(input),
      runs: [],
    };
    this.report.events.push(event);
    return event;
  }

  private addRun(event: ReplayedEvent, run: HandlerRun): void {
    event.runs.push(run);
    // Runs in hooks.json order, whatever order they exited in.
    event.runs.sort((a, b) => this.orderOf(a) - this.orderOf(b));
    if (run.signal !== null || (run.exitCode !== 0 && run.exitCode !== 2)) this.report.handlerErrors++;
    if (run.delivery) this.report.deliveries.push(run.delivery);
  }

  private orderOf(run: HandlerRun): number {
    return this.commands.findIndex((c) => c.name === run.handler && c.event === run.event);
  }

  closeSync(event: ReplayedEvent, input: Record<string, unknown>, runs: readonly HandlerRun[]): void {
    for (const run of runs) this.addRun(event, run);
    if (isNotice(input)) {
      this.report.notices++;
      if (runs.some((r) => r.blocked)) {
        this.report.blockedNotices++;
        if (typeof input["prompt_id"] === "string") this.heldPrompts.add(input["prompt_id"]);
      } else this.report.nativeWakeUps++;
    }
    this.options.onEvent?.(event);
  }

  /** Returns the echo prompt input to fire when the run woke the parent. */
  closeAsync(
    event: ReplayedEvent,
    input: Record<string, unknown>,
    run: HandlerRun,
  ): Record<string, unknown> | undefined {
    this.addRun(event, run);
    this.options.onAsyncRun?.(run, event);
    if (run.delivery?.kind !== "rewake") return undefined;
    this.report.pluginWakeUps++;
    if (this.options.simulateEcho === false) return undefined;
    return { ...input, prompt: echoPrompt(run.delivery.text) };
  }

  finish(): ReplayReport {
    this.report.deliveries.sort((a, b) => a.atMs - b.atMs);
    return this.report;
  }
}

function baseEnv(options: ReplayOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    // The hooks' launcher runs the node that runs the replay, unless told otherwise.
    BG_NOTIFY_NODE: process.execPath,
    ...process.env,
    ...options.env,
    CLAUDE_PROJECT_DIR: options.projectDir,
    CLAUDE_PLUGIN_ROOT: options.pluginRoot,
  };
  if (options.stateDir !== undefined) env["BG_NOTIFY_STATE_DIR"] = options.stateDir;
  else delete env["BG_NOTIFY_STATE_DIR"];
  return env;
}

export async function replay(
  recording: readonly RecordedEvent[],
  options: ReplayOptions,
): Promise<ReplayReport> {
  return options.clock === "virtual" ? replayVirtual(recording, options) : replayReal(recording, options);
}

/** A recorder of what the hooks hooks.json names do, and their environment. */
function startReplay(clock: "real" | "virtual", options: ReplayOptions) {
  const commands = loadHookCommands(options.pluginRoot);
  return { recorder: new ReplayRecorder(clock, commands, options), env: baseEnv(options) };
}

async function replayReal(
  recording: readonly RecordedEvent[],
  options: ReplayOptions,
): Promise<ReplayReport> {
  const { recorder, env } = startReplay("real", options);
  const speed = options.speed ?? 1;
  const pending = new Set<Promise<void>>();
  const t0 = Date.now();
  const elapsed = () => Date.now() - t0;
  const base = recording[0]?.offsetMs ?? 0;
  const live = new Set<() => void>();
  const { signal } = options;
  const killAll = () => {
    for (const kill of live) kill();
  };
  signal?.addEventListener("abort", killAll, { once: true });

  const fire = async (input: Record<string, unknown>, offsetMs: number): Promise<void> => {
    const event = recorder.openEvent(input, offsetMs);
    const syncRuns: Promise<HandlerRun>[] = [];
    for (const handler of recorder.handlersFor(input)) {
      const { finished, kill } = startHandler(handler, input, env, elapsed);
      live.add(kill);
      void finished.then(() => live.delete(kill));
      if (!handler.async) {
        syncRuns.push(finished);
        continue;
      }
      const tracked: Promise<void> = finished.then(async (run) => {
        const echo = recorder.closeAsync(event, input, run);
        if (echo) await fire(echo, elapsed() + base);
        pending.delete(tracked);
      });
      pending.add(tracked);
    }
    recorder.closeSync(event, input, await Promise.all(syncRuns));
  };

  try {
    for (const [i, recorded] of recording.entries()) {
      signal?.throwIfAborted();
      options.onProgress?.({
        done: i,
        total: recording.length,
        atMs: elapsed(),
        event: String(recorded.input["hook_event_name"]),
      });
      if (speed > 0 && Number.isFinite(speed)) {
        const wait = (recorded.offsetMs - base) / speed - elapsed();
        if (wait > 0) await sleep(wait, signal);
        signal?.throwIfAborted();
      }
      if (recorder.happensUnderPlugin(recorded.input)) await fire(recorded.input, recorded.offsetMs);
    }
    while (pending.size > 0) await Promise.all([...pending]);
    signal?.throwIfAborted();
  } finally {
    signal?.removeEventListener("abort", killAll);
    killAll();
  }
  return recorder.finish();
}

/**
 * The deterministic replay (`--instant`). Virtual time lives in a clock file that every hook process
 * reads (BG_NOTIFY_CLOCK_FILE, honoured by createHookContext); a hook that sleeps writes its wake-up
 * time to its own wait file (BG_NOTIFY_CLOCK_WAIT_FILE) and polls until that file is gone. The engine
 * moves time forward only when every live process has exited or is waiting ("settled"):
 * - before each recorded event, waiters due no later than that event are released one at a time in a
 *   fixed order (wake-up time, then start order): clock set to the waiter's time, its wait file
 *   deleted, then everything settles again before the next release;
 * - then the clock jumps to the event's recorded offset and its handlers fire; sync handlers are
 *   awaited, and async ones that finished are handled after them, in start order.
 * So only one process ever runs at a time between settle points (plus the handlers of one event, which
 * see the same time and record idempotently), and the same recording gives the same report every time.
 * Report times (`startedAtMs`, `atMs`, `offsetMs` of echoes) are virtual milliseconds since the first event.
 */
async function replayVirtual(
  recording: readonly RecordedEvent[],
  options: ReplayOptions,
): Promise<ReplayReport> {
  const { recorder, env } = startReplay("virtual", options);
  const clockDir = mkdtempSync(join(options.scratchDir ?? tmpdir(), "bg-notify-clock-"));
  const clockFile = join(clockDir, "now");
  const base = recording[0]?.offsetMs ?? 0;
  // Reports only ever show differences, so the absolute start is free: placed so that the timeline (plus
  // the longest a rewake waits) ends before the real now, times kept in a --state-dir read as past.
  const span = (recording[recording.length - 1]?.offsetMs ?? base) - base;
  const epoch = Date.now() - span - VIRTUAL_SLACK_MS;
  let clock = epoch;
  const setClock = (value: number) => {
    if (value <= clock) return;
    clock = value;
    writeNumberFile(clockFile, clock);
  };
  writeNumberFile(clockFile, clock);
  const elapsed = () => clock - epoch;
  const live = new Set<LiveRun>();
  const { signal } = options;
  const killAll = () => {
    for (const run of live) run.kill();
  };
  signal?.addEventListener("abort", killAll, { once: true });
  const inputs = new Map<LiveRun, Record<string, unknown>>();
  let seq = 0;

  const waitingUntil = (run: LiveRun): number | undefined =>
    run.done || !run.waitFile ? undefined : readClockFile(run.waitFile);
  const isSettled = (run: LiveRun) => run.done !== undefined || waitingUntil(run) !== undefined;

  const spawnRun = (command: HookCommand, input: Record<string, unknown>, event: ReplayedEvent): LiveRun => {
    const n = seq++;
    const waitFile = join(clockDir, `wait-${n}`);
    const childEnv = { ...env, [CLOCK_FILE_ENV]: clockFile, [CLOCK_WAIT_FILE_ENV]: waitFile };
    const { finished, kill } = startHandler(command, input, childEnv, elapsed);
    const run: LiveRun = { seq: n, command, event, waitFile, finished, kill };
    void finished.then((done) => {
      run.done = done;
    });
    live.add(run);
    inputs.set(run, input);
    return run;
  };

  /** Releases the earliest waiter among `candidates` if it is due by `limit`; false if there is none. */
  const releaseOne = (candidates: readonly LiveRun[], limit: number): boolean => {
    let first: { run: LiveRun; at: number } | undefined;
    for (const run of candidates) {
      const at = waitingUntil(run);
      if (at === undefined) continue;
      if (!first || at < first.at || (at === first.at && run.seq < first.run.seq)) first = { run, at };
    }
    if (!first || first.at > limit) return false;
    setClock(first.at);
    try {
      unlinkSync(first.run.waitFile!);
    } catch {}
    return true;
  };

  const fire = async (input: Record<string, unknown>, offsetMs: number): Promise<void> => {
    const event = recorder.openEvent(input, offsetMs);
    const started = recorder.handlersFor(input).map((command) => spawnRun(command, input, event));
    const sync = started.filter((run) => !run.command.async);
    // A sync handler that sleeps holds the timeline up, as it would in Claude Code.
    while (sync.some((run) => !run.done)) {
      signal?.throwIfAborted();
      if ([...live].every(isSettled)) releaseOne([...live], Number.POSITIVE_INFINITY);
      await sleep(2);
    }
    for (const run of sync) live.delete(run);
    recorder.closeSync(
      event,
      input,
      sync.map((run) => run.done!),
    );
    await settle();
  };

  /** Waits until every live process has exited or is waiting, handling the exits in start order. */
  const settle = async (): Promise<void> => {
    for (;;) {
      signal?.throwIfAborted();
      const exited = [...live].filter((run) => run.done).sort((a, b) => a.seq - b.seq);
      for (const run of exited) {
        live.delete(run);
        const echo = recorder.closeAsync(run.event, inputs.get(run)!, run.done!);
        inputs.delete(run);
        if (echo) await fire(echo, elapsed() + base);
      }
      if (exited.length > 0) continue;
      if ([...live].every(isSettled)) return;
      await sleep(2);
    }
  };

  const advanceTo = async (limit: number): Promise<void> => {
    for (;;) {
      await settle();
      if (!releaseOne([...live], limit)) return;
    }
  };

  try {
    for (const [i, recorded] of recording.entries()) {
      const at = epoch + (recorded.offsetMs - base);
      await advanceTo(at);
      setClock(at);
      options.onProgress?.({
        done: i,
        total: recording.length,
        atMs: elapsed(),
        event: String(recorded.input["hook_event_name"]),
      });
      if (recorder.happensUnderPlugin(recorded.input)) await fire(recorded.input, recorded.offsetMs);
    }
    await advanceTo(Number.POSITIVE_INFINITY);
  } finally {
    signal?.removeEventListener("abort", killAll);
    killAll();
    rmSync(clockDir, { recursive: true, force: true });
  }
  return recorder.finish();
}
