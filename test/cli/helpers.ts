// Scaffolding for the CLI tests: run the built `node dist/cli.js …` as a real process, a temp dir per test,
// state seeded through the core library, and throwaway copies of the plugin to break on purpose.

import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { enqueueCompletion } from "../../src/core/batching.ts";
import { taskKey } from "../../src/core/state.ts";
import type { BackgroundTask, BgState } from "../../src/core/types.ts";
import { withLockedState } from "../../src/store/transaction.ts";
import { runNode as runNodeProcess, startNode } from "../spawn.ts";

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const SHELLS = join(ROOT, "test", "fixtures", "three-background-shells.jsonl");

/**
 * The tests run a snapshot of the shipped plugin (dist/, hooks/, manifests, the demo and its fixture),
 * taken once per test file: `npm run build` elsewhere empties dist/ first, and a test must not see that.
 */
function snapshotPlugin(): string {
  const dir = mkdtempSync(join(tmpdir(), "bg-notify-cli-plugin-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const needed = [
    join("dist", "cli.js"),
    ...Object.keys(hookScripts()).map((name) => join("dist", "hooks", name)),
  ];
  for (let attempt = 0; ; attempt++) {
    const missing = needed.filter((file) => !existsSync(join(ROOT, file)));
    if (missing.length === 0) break;
    if (attempt >= 50) throw new Error(`${missing.join(", ")} missing: run \`npm run build\``);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  for (const part of [
    "dist",
    "hooks",
    ".claude-plugin",
    "package.json",
    join("scripts", "demo.mjs"),
    relative(ROOT, SHELLS),
  ])
    cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  return dir;
}

/** The dist/hooks scripts hooks.json names. */
function hookScripts(): Record<string, true> {
  const text = readFileSync(join(ROOT, "hooks", "hooks.json"), "utf8");
  return Object.fromEntries(Array.from(text.matchAll(/dist\/hooks\/([\w.-]+\.js)/g), (m) => [m[1]!, true]));
}

export const PLUGIN = snapshotPlugin();
export const CLI = join(PLUGIN, "dist", "cli.js");
export const DEMO = join(PLUGIN, "scripts", "demo.mjs");

export { tempDir } from "../helpers.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin, then stdin is closed; `keepStdinOpen` leaves it open instead. */
  input?: string;
  keepStdinOpen?: boolean;
}

/** The caller's BG_NOTIFY_* and CLAUDE_PROJECT_DIR must not leak into a test. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("BG_NOTIFY_") || key === "CLAUDE_PROJECT_DIR" || key === "NO_COLOR") continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runNode([CLI, ...args], options);
}

export async function runNode(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const run = await runNodeProcess(args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? cleanEnv(),
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.keepStdinOpen ? { keepStdinOpen: true } : {}),
  });
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
}

export const SESSION_A = "session-a";
export const SESSION_B = "session-b";

export { makeTask as task } from "../fixtures/claude-inputs.ts";

/** Writes state through the store's own transaction, as hooks would. */
export async function seedState(dir: string, build: (state: BgState) => void): Promise<void> {
  await withLockedState(dir, build);
}

export const LIMITS = { batchWindowMs: 1000, maxBatchSize: 5 };

/** Records finished tasks the way the hooks do: task record and queued completion together. */
export function complete(state: BgState, finished: BackgroundTask, at = Date.now()): void {
  enqueueCompletion(state, finished, at, LIMITS);
}

export function running(state: BgState, t: BackgroundTask): void {
  state.tasks[taskKey(t.parentSessionId, t.id)] = t;
}

/**
 * A minimal plugin directory (hooks.json, package.json, plugin.json, dist/hooks scripts) for tests that
 * need a broken or unusual one. `scripts` maps dist/hooks file names to their source.
 */
export function fakePlugin(
  dir: string,
  hooks: Record<string, unknown>,
  scripts: Record<string, string> = {},
  versions: { pkg?: string; plugin?: string } = {},
): string {
  mkdirSync(join(dir, "hooks"), { recursive: true });
  mkdirSync(join(dir, "dist", "hooks"), { recursive: true });
  mkdirSync(join(dir, ".claude-plugin"), { recursive: true });
  writeFileSync(join(dir, "hooks", "hooks.json"), JSON.stringify({ hooks }, null, 2));
  cpSync(join(PLUGIN, "hooks", "run"), join(dir, "hooks", "run"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x", version: versions.pkg ?? "1.0.0" }));
  writeFileSync(
    join(dir, ".claude-plugin", "plugin.json"),
    JSON.stringify({ name: "x", version: versions.plugin ?? versions.pkg ?? "1.0.0" }),
  );
  for (const [name, source] of Object.entries(scripts))
    writeFileSync(join(dir, "dist", "hooks", name), source);
  return dir;
}

/** A full copy of the real plugin's shipped files, to damage one thing in. */
export function copyPlugin(dir: string): string {
  for (const part of ["hooks", "dist", ".claude-plugin", "package.json"])
    cpSync(join(PLUGIN, part), join(dir, part), { recursive: true });
  return dir;
}

/** A hook as hooks.json names it: through the launcher, `sh hooks/run <name>` for dist/hooks/<name>.js. */
export function hookCommand(script: string, extra: Record<string, unknown> = {}) {
  return {
    type: "command",
    command: "sh",
    args: [`\${CLAUDE_PLUGIN_ROOT}/hooks/run`, script.replace(/\.js$/, "")],
    ...extra,
  };
}

/** No ANSI escape anywhere: colour is for terminals only. */
export function assertNoColour(text: string): void {
  if (text.includes("\u001b["))
    throw new Error(`colour escape in non-TTY output: ${JSON.stringify(text.slice(0, 200))}`);
}

/** A CLI run that keeps going (`--follow`, a slowed replay): its output as it comes, and a way to wait for it. */
export function streamingCli(t: TestContext, args: readonly string[], env: NodeJS.ProcessEnv) {
  const child = startNode([CLI, ...args], { env }).child as ChildProcessWithoutNullStreams;
  t.after(() => child.kill("SIGKILL"));
  const out = { stdout: "", stderr: "" };
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    out.stderr += d;
  });
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    out.stdout += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  /** Resolves once stdout holds `text`; fails after 20 s, saying what came. */
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${text} not printed; got ${out.stdout} ${out.stderr}`)),
        20_000,
      );
      const check = () => {
        if (!out.stdout.includes(text)) return;
        clearTimeout(timer);
        child.stdout.off("data", check);
        resolve();
      };
      child.stdout.on("data", check);
      check();
    });
  return { child, out, exit, printed };
}
