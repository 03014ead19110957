/**
 * Runs the real Claude Code CLI headless against the loopback Messages API stub, in a temp project
 * directory with a temp HOME, keeping stdin open until background work and async hooks are done.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type MessagesApiStub, sleep } from "./messages-api-stub.ts";

export interface RunClaudeOptions {
  claudeBin: string;
  stub: MessagesApiStub;
  /** the first (and only) user message */
  prompt: string;
  allowedTools: string[];
  /** passed as --plugin-dir when set */
  pluginDir?: string;
  /** extra environment for the CLI (e.g. BG_NOTIFY_MODE) */
  env?: Record<string, string>;
  extraArgs?: string[];
  /**
   * Scenario-level predicate: true once all scripted background work is over (e.g. every expected
   * completion has been seen by the stub). Until then stdin stays open regardless of idleness.
   */
  settled?: (live: LiveState) => boolean;
  /** close stdin once settled() and the stub has been idle this long (default 4000 ms) */
  idleMs?: number;
  /** never close stdin before this many ms (default 0) */
  minRunMs?: number;
  /** hard limit for the whole run (default 90 s): stdin is closed, then the CLI is killed */
  timeoutMs?: number;
  /** keep the temp HOME / project dir (default: removed unless BG_NOTIFY_E2E_KEEP=1) */
  keepTemp?: boolean;
  /** run in these dirs (a second process of the same session) instead of fresh temp dirs */
  dirs?: { root: string; home: string; project: string; cwd?: string };
  /** close stdin as soon as this holds, whatever settled/idle say (e.g. an exit at a chosen moment) */
  closeWhen?: (live: LiveState) => boolean;
  /**
   * Where the project is and where the CLI starts (a path with spaces, a link to it, a git worktree):
   * made under the run's root; default `<root>/project`, started there.
   */
  at?: (root: string) => { project: string; cwd: string };
  /** called with the temp dirs before the CLI starts (e.g. to write settings) */
  prepare?: (dirs: { home: string; project: string; root: string }) => void;
  /** more user messages, each typed this long after the start (a later turn of the same process) */
  laterPrompts?: { afterMs: number; text: string }[];
  /** stdin lines written once each, as soon as its function returns one (e.g. a control request) */
  sendWhen?: ((live: LiveState) => string | undefined)[];
  /** start the CLI through this command prefix (e.g. a mount namespace that hides node) */
  wrap?: string[];
  /** trace network syscalls with strace into <root>/strace.log (diagnostics) */
  strace?: boolean;
  label?: string;
}

export interface LiveState {
  /** stream-json events parsed from stdout so far */
  events: Array<Record<string, unknown>>;
  elapsedMs: number;
}

export interface RunClaudeResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** parsed stream-json lines of stdout */
  events: Array<Record<string, unknown>>;
  root: string;
  home: string;
  project: string;
  /** where the CLI was started: the project, or a path that leads to it */
  cwd: string;
  durationMs: number;
  /** when stdin was closed, ms after start */
  stdinClosedAt: number;
  timedOut: boolean;
}

/** Environment for the CLI: the runner's, minus anything that could point it elsewhere, plus ours. */
export function cliEnv(home: string, baseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(CLAUDE|ANTHROPIC|OTEL_|AWS_|GOOGLE_|VERTEX|BEDROCK|MCP_)/i.test(k)) continue;
    if (/_proxy$/i.test(k)) continue;
    if (k === "BG_NOTIFY_MODE" || k === "XDG_CONFIG_HOME" || k === "XDG_CACHE_HOME" || k === "XDG_DATA_HOME")
      continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    USERPROFILE: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_BUG_COMMAND: "1",
    // Safety net: anything that is not loopback and honours proxy variables goes to a dead
    // loopback port instead of the network.
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    http_proxy: "http://127.0.0.1:9",
    https_proxy: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost,::1",
    no_proxy: "127.0.0.1,localhost,::1",
    ...extra,
  };
}

/** All background tasks started so far have reached a terminal state, and the CLI is between turns. */
export function backgroundSettled(expectedTasks: number) {
  return (live: LiveState): boolean => {
    const started = new Set<string>();
    const done = new Set<string>();
    let betweenTurns = false;
    for (const e of live.events) {
      if (e.type === "system" && e.subtype === "task_started" && e.is_backgrounded === true) {
        started.add(String(e.task_id));
      } else if (e.type === "system" && e.subtype === "task_updated") {
        const status = (e.patch as { status?: string } | undefined)?.status;
        if (status === "completed" || status === "failed" || status === "killed") done.add(String(e.task_id));
      }
      if (e.type === "result") betweenTurns = true;
      else if (e.type === "assistant" || e.type === "user") betweenTurns = false;
    }
    return betweenTurns && started.size >= expectedTasks && [...started].every((id) => done.has(id));
  };
}

export function userLine(text: string): string {
  return `${JSON.stringify({ type: "user", message: { role: "user", content: text }, parent_tool_use_id: null })}\n`;
}

export async function runClaude(o: RunClaudeOptions): Promise<RunClaudeResult> {
  const root = o.dirs?.root ?? mkdtempSync(join(tmpdir(), `bg-notify-e2e-${o.label ?? "run"}-`));
  const home = o.dirs?.home ?? join(root, "home");
  const placed = o.dirs ? undefined : o.at?.(root);
  const project = o.dirs?.project ?? placed?.project ?? join(root, "project");
  const cwd = o.dirs?.cwd ?? placed?.cwd ?? project;
  if (!o.dirs) {
    mkdirSync(home, { recursive: true });
    mkdirSync(project, { recursive: true });
    // A marker so the project dir is recognisable, and a git-free plain directory.
    writeFileSync(join(project, "README.md"), "e2e scratch project\n");
    o.prepare?.({ home, project, root });
  }

  const args = [
    "-p",
    "--input-format",
    "stream-json",
    "--output-format",
    "stream-json",
    "--verbose",
    // Older releases start `-p` in auto mode, whose safety classifier (a side request the stub cannot
    // answer) blocks tool calls; the pinned one starts in default mode anyway.
    "--permission-mode",
    "default",
    "--allowedTools",
    o.allowedTools.join(","),
  ];
  if (o.pluginDir) args.push("--plugin-dir", o.pluginDir);
  if (o.extraArgs) args.push(...o.extraArgs);

  const env = cliEnv(home, o.stub.url, o.env);
  const cmd = o.strace ? "strace" : (o.wrap?.[0] ?? o.claudeBin);
  const cmdArgs = o.strace
    ? ["-f", "-qq", "-e", "trace=connect,sendto", "-o", join(root, "strace.log"), o.claudeBin, ...args]
    : o.wrap
      ? [...o.wrap.slice(1), o.claudeBin, ...args]
      : args;

  const t0 = Date.now();
  const child = spawn(cmd, cmdArgs, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let pending = "";
  const events: Array<Record<string, unknown>> = [];
  const parseLine = (line: string) => {
    const t = line.trim();
    if (!t) return;
    try {
      events.push(JSON.parse(t) as Record<string, unknown>);
    } catch {
      /* non-JSON line */
    }
  };
  let lastEventAt = Date.now();
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    lastEventAt = Date.now();
    stdout += d;
    pending += d;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const l of lines) parseLine(l);
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  child.stdin.on("error", () => {});
  let exited = false;
  const exitP = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
  });

  child.stdin.write(userLine(o.prompt));
  const later = (o.laterPrompts ?? []).map((p) =>
    setTimeout(() => {
      if (!exited && child.stdin.writable) child.stdin.write(userLine(p.text));
    }, p.afterMs),
  );
  child.on("exit", () => {
    for (const timer of later) clearTimeout(timer);
  });

  const idleMs = o.idleMs ?? 4000;
  const minRunMs = o.minRunMs ?? 0;
  const timeoutMs = o.timeoutMs ?? 90_000;
  let timedOut = false;
  const senders = [...(o.sendWhen ?? [])];
  // Wait until settled + idle, or timeout, or the CLI exits by itself.
  for (;;) {
    if (exited) break;
    const elapsed = Date.now() - t0;
    for (const [i, send] of senders.entries()) {
      const line = send({ events, elapsedMs: elapsed });
      if (line === undefined) continue;
      if (child.stdin.writable) child.stdin.write(line.endsWith("\n") ? line : `${line}\n`);
      senders.splice(i, 1);
      break;
    }
    if (elapsed > timeoutMs) {
      timedOut = true;
      break;
    }
    if (o.closeWhen) {
      if (o.closeWhen({ events, elapsedMs: elapsed })) break;
      await sleep(5);
      continue;
    }
    const settled = o.settled ? o.settled({ events, elapsedMs: elapsed }) : true;
    // Quiet means no request and no stream event for idleMs: the last completion's event starts the
    // count again, so a batch window that opens after a long quiet gap is waited out.
    const quietMs = Math.min(o.stub.idleMs(), Date.now() - lastEventAt);
    if (settled && elapsed >= minRunMs && quietMs >= idleMs) break;
    await sleep(100);
  }
  const stdinClosedAt = Date.now() - t0;
  child.stdin.end();

  // Give it a grace period to exit (SessionEnd hooks etc.), then kill it.
  const graceMs = timedOut ? 3000 : 20_000;
  const killer = setTimeout(() => {
    if (!exited) child.kill("SIGTERM");
    setTimeout(() => {
      if (!exited) child.kill("SIGKILL");
    }, 2000).unref();
  }, graceMs);
  const { code, signal } = await exitP;
  clearTimeout(killer);

  parseLine(pending);
  const result: RunClaudeResult = {
    exitCode: code,
    signal,
    stdout,
    stderr,
    events,
    root,
    home,
    project,
    cwd,
    durationMs: Date.now() - t0,
    stdinClosedAt,
    timedOut,
  };
  const keep = o.keepTemp ?? process.env.BG_NOTIFY_E2E_KEEP === "1";
  if (!keep) {
    rmSync(root, { recursive: true, force: true });
    // The CLI keeps background task output under $TMPDIR/claude-<uid>/<project path with / -> ->/…
    const taskRoot = join(tmpdir(), `claude-${process.getuid?.() ?? 0}`);
    if (existsSync(taskRoot)) {
      for (const d of readdirSync(taskRoot)) {
        if (d.includes(basename(root))) rmSync(join(taskRoot, d), { recursive: true, force: true });
      }
    }
  }
  return result;
}
