// Shared by the reliability tests and `npm run test:reliability`: temp trees, the shipped hook bundles run
// as real child processes (with kill/stop control), synthetic Claude Code inputs, and what a consumer
// (Claude Code) actually receives from a hook run.
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { buildSync } from "esbuild";
import { HOOK_TABLE, type HookName, hooksFor } from "../../src/plugin/hook-table.ts";
import { tempProject } from "../helpers.ts";
import { startNode } from "../spawn.ts";

export const REPO_ROOT = resolve(new URL("../..", import.meta.url).pathname);
export const SHIPPED_HOOKS = join(REPO_ROOT, "dist", "hooks");
/** The shipped bundles; BG_NOTIFY_RELIABILITY_HOOKS_DIR points at another build (a before/after comparison). */
export const HOOKS_SOURCE = resolve(process.env["BG_NOTIFY_RELIABILITY_HOOKS_DIR"] || SHIPPED_HOOKS);

let snapshot: string | undefined;

/**
 * A private copy of the shipped bundles (hooks/*.js), taken once per test process, and a bundle of the
 * test-only entry (src/testing.ts) as index.mjs: they are self-contained, and a `npm run build` elsewhere
 * (which empties dist/ first) must not turn a run's hooks into missing files.
 */
export function snapshotDir(): string {
  if (snapshot) return snapshot;
  const dir = mkdtempSync(join(tmpdir(), "bg-notify-dist-"));
  for (let attempt = 0; ; attempt++) {
    try {
      cpSync(HOOKS_SOURCE, join(dir, "hooks"), { recursive: true });
      // .mjs: the bundle sits outside the package whose "type" makes .js files modules.
      buildSync({
        entryPoints: [join(REPO_ROOT, "src", "testing.ts")],
        outfile: join(dir, "index.mjs"),
        bundle: true,
        platform: "node",
        format: "esm",
        logLevel: "error",
        banner: {
          js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
        },
      });
      for (const { file } of Object.values(HOOKS)) statSync(join(dir, "hooks", file));
      break;
    } catch (error) {
      if (attempt >= 100) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  snapshot = dir;
  return dir;
}

export function hooksDir(): string {
  return join(snapshotDir(), "hooks");
}

/** Extra node flags for hook processes (BG_NOTIFY_RELIABILITY_NODE_ARGS, space-separated), to compare. */
const NODE_ARGS = (process.env["BG_NOTIFY_RELIABILITY_NODE_ARGS"] ?? "").split(" ").filter(Boolean);

export type { HookName };

/** Every hook of the hook table by its own name: its bundle and the timeout the table declares. */
export const HOOKS = Object.fromEntries(
  HOOK_TABLE.map((spec) => [spec.name, { file: `${spec.name}.js`, timeoutSec: spec.timeoutS }]),
) as Record<HookName, { file: string; timeoutSec: number }>;

/**
 * A hook is only ever fed what Claude Code would run it for: its event, and an input its matcher takes.
 * (Bytes that are not a hook input at all, the fuzz's, are fed as they are.)
 */
export function assertRunsFor(hook: HookName, stdin: string | Buffer): void {
  let input: unknown;
  try {
    input = JSON.parse(stdin.toString());
  } catch {
    return;
  }
  if (
    typeof input !== "object" ||
    input === null ||
    typeof (input as { hook_event_name?: unknown }).hook_event_name !== "string"
  )
    return;
  const runs = hooksFor(input as Record<string, unknown>).map((spec) => spec.name);
  if (!runs.includes(hook))
    throw new Error(`Claude Code never runs ${hook} for this input (it runs ${runs.join(", ") || "none"})`);
}

/** A seeded PRNG (mulberry32): every figure can be reproduced from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export interface TempTree {
  root: string;
  project: string;
  stateDir: string;
  cleanup: () => void;
}

/** A temp root with the project inside it, so that a test can see anything written beside the project. */
export function tempTree(label = "rel"): TempTree {
  const { dir: root, cleanup } = tempProject(label);
  const project = join(root, "project");
  return { root, project, stateDir: join(project, ".claude", "bg-notify"), cleanup };
}

/** Every path under `root`, relative to it (directories end in "/"). */
export function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const isDir = statSync(path).isDirectory();
      out.push(relative(root, path) + (isDir ? "/" : ""));
      if (isDir) walk(path);
    }
  };
  walk(root);
  return out.sort();
}

/** A clean environment for hook processes: no NODE_OPTIONS from the test runner (tsx loaders). */
export function hookEnv(tree: TempTree, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: tree.root,
    CLAUDE_PROJECT_DIR: tree.project,
    BG_NOTIFY_STATE_DIR: tree.stateDir,
    ...extra,
  };
}

export {
  echoPrompt,
  noticePrompt,
  postToolUseInput,
  promptInput,
  stopInput,
} from "../fixtures/claude-inputs.ts";

export interface HookProcess {
  hook: HookName;
  child: ChildProcess;
  pid: number;
  startedAt: number;
  /** Resolves when the process has exited and its pipes are drained. */
  done: Promise<HookOutcome>;
}

export interface HookOutcome {
  hook: HookName;
  pid: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Peak resident set size reported by the child, when asked for (see `measureRss`). */
}

export function startHook(
  hook: HookName,
  stdin: string | Buffer,
  env: NodeJS.ProcessEnv,
  execArgv: string[] = NODE_ARGS,
  cwd?: string,
): HookProcess {
  assertRunsFor(hook, stdin);
  const started = startNode([...execArgv, join(hooksDir(), HOOKS[hook].file)], {
    env,
    input: stdin,
    ...(cwd !== undefined ? { cwd } : {}),
  });
  const { child, startedAt } = started;
  const done = started.done.then(
    (run): HookOutcome => ({
      hook,
      pid: run.pid,
      exitCode: run.code,
      signal: run.signal,
      stdout: run.stdout,
      stderr: run.stderr,
      durationMs: run.durationMs,
    }),
  );
  return { hook, child, pid: child.pid ?? -1, startedAt, done };
}

export async function runHookOnce(
  hook: HookName,
  input: unknown,
  env: NodeJS.ProcessEnv,
): Promise<HookOutcome> {
  return startHook(hook, typeof input === "string" ? input : JSON.stringify(input), env).done;
}

/** One delivered notice as the consumer reads it: its batch and the task ids it lists. */
export interface ReceivedNotice {
  batchId: string;
  taskIds: string[];
  /** The header's task count, to check that every task is listed. */
  count: number;
}

/** Splits delivered text into notices (joined deliveries are separated by blank lines before a header). */
export function parseNotices(text: string): ReceivedNotice[] {
  const notices: ReceivedNotice[] = [];
  for (const part of text.split(/(?=^\[bg-notify\] )/m)) {
    const batch = /\(batch ([^;\s]+);/.exec(part);
    if (!batch?.[1]) continue;
    const count = Number(/^\[bg-notify\] (\d+) background tasks? finished/m.exec(part)?.[1] ?? Number.NaN);
    const ids = new Set<string>();
    for (const m of part.matchAll(/\btask ([A-Za-z0-9._:-]+)(?=[,)])/g)) if (m[1]) ids.add(m[1]);
    notices.push({ batchId: batch[1], taskIds: [...ids], count });
  }
  return notices;
}

export type Reception =
  | { kind: "delivered"; notices: ReceivedNotice[]; via: "rewake" | "context" | "stop" }
  | { kind: "blocked" }
  | { kind: "none" };

/**
 * What Claude Code takes from a finished hook: only a normal exit counts. Exit 2 of the rewake hook wakes
 * the parent with stderr; exit 0 hands stdout JSON over (context, a block decision). Anything else — a
 * signal, another code — is a failed hook whose output is ignored.
 */
export function reception(outcome: HookOutcome): Reception {
  if (outcome.signal !== null) return { kind: "none" };
  if (outcome.hook === "rewake") {
    return outcome.exitCode === 2
      ? { kind: "delivered", notices: parseNotices(outcome.stderr), via: "rewake" }
      : { kind: "none" };
  }
  if (outcome.exitCode !== 0 || outcome.stdout.trim() === "") return { kind: "none" };
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(outcome.stdout) as Record<string, unknown>;
  } catch {
    return { kind: "none" };
  }
  const specific = (json["hookSpecificOutput"] ?? {}) as Record<string, unknown>;
  const context = specific["additionalContext"];
  if (typeof context === "string" && context.length > 0)
    return { kind: "delivered", notices: parseNotices(context), via: "context" };
  if (json["continue"] === false) return { kind: "blocked" };
  if (json["decision"] === "block") {
    const reason = typeof json["reason"] === "string" ? json["reason"] : "";
    const notices = parseNotices(reason);
    return notices.length > 0 ? { kind: "delivered", notices, via: "stop" } : { kind: "blocked" };
  }
  return { kind: "none" };
}

/** Output on stdout must be nothing or one JSON value: Claude Code parses it. */
export function stdoutIsValid(stdout: string): boolean {
  if (stdout.trim() === "") return true;
  try {
    JSON.parse(stdout);
    return true;
  } catch {
    return false;
  }
}

/** A stack trace on stdout or stderr: "    at fn (file:line:col)" lines. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(native\)|node:internal)/m.test(text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
