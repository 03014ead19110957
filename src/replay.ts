// Replays recorded hook inputs through the shipped hook bundles, as Claude Code would: every handler that
// hooks/hooks.json names for an event runs as its own process, in parallel; sync ones are awaited, async
// (asyncRewake) ones run on. Used by `bg-notify replay`, the demo and the fixture tests.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BgNotifyError } from "./errors.js";

export interface RecordedEvent {
  offsetMs: number;
  input: Record<string, unknown>;
}

export interface HookCommand {
  event: string;
  matcher?: string;
  command: string;
  args: string[];
  async: boolean;
  timeoutSec: number;
  /** The script's file name, for reports. */
  name: string;
}

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
  events: ReplayedEvent[];
  deliveries: ReplayDelivery[];
  /** Notices that reached the parent natively (not blocked): each one is a wake-up. */
  nativeWakeUps: number;
  /** Wake-ups the plugin caused (rewake exits). */
  pluginWakeUps: number;
  notices: number;
  blockedNotices: number;
}

export interface ReplayOptions {
  pluginRoot: string;
  stateDir: string;
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  /** 1 = recorded timing, 2 = twice as fast; 0 or Infinity = no waiting between events. */
  speed?: number;
  /** Fire Claude Code's wake-up echo prompt after each rewake delivery, as the real CLI does. */
  simulateEcho?: boolean;
  onEvent?: (event: ReplayedEvent) => void;
  onAsyncRun?: (run: HandlerRun) => void;
}

export function parseRecording(text: string): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let last = 0;
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BgNotifyError("EINPUT", `line ${i + 1} is not JSON`);
    }
    if (typeof value !== "object" || value === null)
      throw new BgNotifyError("EINPUT", `line ${i + 1} is not a JSON object`);
    const obj = value as Record<string, unknown>;
    if (typeof obj["input"] === "object" && obj["input"] !== null && typeof obj["offsetMs"] === "number") {
      last = obj["offsetMs"];
      events.push({ offsetMs: obj["offsetMs"], input: obj["input"] as Record<string, unknown> });
    } else if (typeof obj["hook_event_name"] === "string") {
      events.push({ offsetMs: last, input: obj });
    } else {
      throw new BgNotifyError("EINPUT", `line ${i + 1} is neither {offsetMs, input} nor a hook input`);
    }
  });
  return events;
}

interface HooksFile {
  hooks?: Record<
    string,
    {
      matcher?: string;
      hooks?: {
        type?: string;
        command?: string;
        args?: string[];
        asyncRewake?: boolean;
        async?: boolean;
        timeout?: number;
      }[];
    }[]
  >;
}

const PLUGIN_ROOT_VARIABLE = ["$", "{CLAUDE_PLUGIN_ROOT}"].join("");

export function loadHookCommands(pluginRoot: string): HookCommand[] {
  const file = JSON.parse(readFileSync(join(pluginRoot, "hooks", "hooks.json"), "utf8")) as HooksFile;
  const commands: HookCommand[] = [];
  for (const [event, groups] of Object.entries(file.hooks ?? {})) {
    for (const group of groups) {
      for (const hook of group.hooks ?? []) {
        if (hook.type !== "command" || !hook.command) continue;
        const args = (hook.args ?? []).map((a) => a.replaceAll(PLUGIN_ROOT_VARIABLE, pluginRoot));
        const script = args.find((a) => a.endsWith(".js")) ?? hook.command;
        commands.push({
          event,
          ...(group.matcher !== undefined ? { matcher: group.matcher } : {}),
          command: hook.command,
          args,
          async: hook.asyncRewake === true || hook.async === true,
          timeoutSec: hook.timeout ?? 600,
          name: script.split("/").pop() ?? script,
        });
      }
    }
  }
  return commands;
}

function matches(command: HookCommand, input: Record<string, unknown>): boolean {
  if (command.event !== input["hook_event_name"]) return false;
  if (!command.matcher || command.matcher === "*") return true;
  const subject = input["tool_name"] ?? input["source"] ?? input["agent_type"];
  if (typeof subject !== "string") return true;
  return new RegExp(`^(?:${command.matcher})$`).test(subject);
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
  return event;
}

function runHandler(
  command: HookCommand,
  input: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  t0: number,
): Promise<HandlerRun> {
  const startedAtMs = Date.now() - t0;
  return new Promise((resolve) => {
    const child = spawn(command.command === "node" ? process.execPath : command.command, command.args, {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
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
      const run: HandlerRun = {
        event: command.event,
        handler: command.name,
        async: command.async,
        startedAtMs,
        durationMs: Date.now() - t0 - startedAtMs,
        exitCode: code,
        signal,
        stdout,
        stderr,
        blocked: false,
      };
      classify(run, Date.now() - t0);
      resolve(run);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(JSON.stringify(input));
  });
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
  if (out["decision"] === "block") {
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function replay(
  recording: readonly RecordedEvent[],
  options: ReplayOptions,
): Promise<ReplayReport> {
  const commands = loadHookCommands(options.pluginRoot);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    CLAUDE_PROJECT_DIR: options.projectDir,
    CLAUDE_PLUGIN_ROOT: options.pluginRoot,
    BG_NOTIFY_STATE_DIR: options.stateDir,
  };
  const speed = options.speed ?? 1;
  const report: ReplayReport = {
    events: [],
    deliveries: [],
    nativeWakeUps: 0,
    pluginWakeUps: 0,
    notices: 0,
    blockedNotices: 0,
  };
  const pending = new Set<Promise<void>>();
  const t0 = Date.now();
  const base = recording[0]?.offsetMs ?? 0;
  let index = 0;

  const fire = async (input: Record<string, unknown>, offsetMs: number): Promise<void> => {
    const handlers = commands.filter((c) => matches(c, input));
    const event: ReplayedEvent = {
      index: index++,
      offsetMs,
      event: String(input["hook_event_name"]),
      summary: summarize(input),
      runs: [],
    };
    report.events.push(event);
    const isNotice = typeof input["prompt"] === "string" && /<task-id>/.test(input["prompt"]);
    const syncRuns: Promise<HandlerRun>[] = [];
    for (const handler of handlers) {
      const run = runHandler(handler, input, env, t0);
      if (!handler.async) {
        syncRuns.push(run);
        continue;
      }
      const tracked: Promise<void> = run.then(async (done) => {
        event.runs.push(done);
        options.onAsyncRun?.(done);
        if (done.delivery) {
          report.deliveries.push(done.delivery);
          report.pluginWakeUps++;
          if (options.simulateEcho !== false) {
            const echo = { ...input, prompt: echoPrompt(done.delivery.text) };
            await fire(echo, Date.now() - t0);
          }
        }
        pending.delete(tracked);
      });
      pending.add(tracked);
    }
    const runs = await Promise.all(syncRuns);
    event.runs.push(...runs);
    for (const run of runs) if (run.delivery) report.deliveries.push(run.delivery);
    if (isNotice) {
      report.notices++;
      if (runs.some((r) => r.blocked)) report.blockedNotices++;
      else report.nativeWakeUps++;
    }
    options.onEvent?.(event);
  };

  for (const recorded of recording) {
    if (speed > 0 && Number.isFinite(speed)) {
      const due = (recorded.offsetMs - base) / speed;
      const wait = due - (Date.now() - t0);
      if (wait > 0) await sleep(wait);
    }
    await fire(recorded.input, recorded.offsetMs);
  }
  while (pending.size > 0) await Promise.all([...pending]);
  report.deliveries.sort((a, b) => a.atMs - b.atMs);
  return report;
}
