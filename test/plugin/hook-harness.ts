// Test harness for the shipped hooks: temp project dirs, synthetic Claude Code inputs, and firing every
// handler hooks.json names for an input as real child processes, at the same time, as Claude Code does.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { holdsPrompt } from "../../src/claude/hook-output.ts";
import { type HookCommand, loadHookCommands } from "../../src/replay/hooks-file.ts";
import { parseRecording, type RecordedEvent } from "../../src/replay/recording.ts";
import { noticePrompt } from "../fixtures/claude-inputs.ts";
import type { TempProject } from "../helpers.ts";
import { startNode, startProcess } from "../spawn.ts";

export const REPO_ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const FIXTURES = join(REPO_ROOT, "test", "fixtures");

export function loadFixture(name: string): RecordedEvent[] {
  return parseRecording(readFileSync(join(FIXTURES, name), "utf8"));
}

export { type TempProject, tempProject, withProject } from "../helpers.ts";

export function notice(
  taskId: string,
  status = "completed",
  description = `job ${taskId}`,
  exitCode?: number,
): string {
  return noticePrompt(taskId, { status, description, ...(exitCode !== undefined ? { exitCode } : {}) });
}

export { promptInput } from "../fixtures/claude-inputs.ts";

export interface ProcessRun {
  handler: string;
  async: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  endedAt: number;
}

/**
 * `gate` holds stdin back until it resolves: the process has started and loaded its bundle by then, so
 * several hooks released by one gate really act "at once", whatever the machine's load.
 */
export function runCommand(
  command: HookCommand,
  input: unknown,
  env: NodeJS.ProcessEnv,
  gate?: Promise<void>,
  onStarted?: (pid: number) => void,
): Promise<ProcessRun> {
  const options = { env, input: JSON.stringify(input), ...(gate ? { gate } : {}) };
  // A gate means "loaded, then all at once": true of node reading its stdin, not of the launcher, which
  // reads stdin before it starts node. Gated runs start the bundle the launcher would start.
  const started =
    gate && command.bundle
      ? startNode([command.bundle], options)
      : command.command === "node"
        ? startNode(command.args, options)
        : startProcess(command.command, command.args, options);
  if (started.pid !== -1) onStarted?.(started.pid);
  return started.done.then((run) => ({
    handler: command.name,
    async: command.async,
    exitCode: run.code,
    stdout: run.stdout,
    stderr: run.stderr,
    endedAt: run.endedAt,
  }));
}

/** Every handler for the input's event, started together; resolves when all (sync and async) have exited. */
export function fireAll(
  input: Record<string, unknown>,
  project: TempProject,
  env: NodeJS.ProcessEnv = {},
  gate?: Promise<void>,
  started?: (pid: number) => void,
): Promise<ProcessRun[]> {
  const commands = loadHookCommands(REPO_ROOT).filter((c) => c.event === input["hook_event_name"]);
  const fullEnv = {
    ...process.env,
    ...env,
    CLAUDE_PROJECT_DIR: project.dir,
    BG_NOTIFY_STATE_DIR: project.stateDir,
  };
  return Promise.all(commands.map((c) => runCommand(c, input, fullEnv, gate, started)));
}

export function rewakeDeliveries(runs: readonly ProcessRun[]): ProcessRun[] {
  return runs.filter((r) => r.async && r.exitCode === 2);
}

export function blockedBy(runs: readonly ProcessRun[]): boolean {
  return runs.some(
    (r) => !r.async && r.exitCode === 0 && r.stdout.trim() !== "" && holdsPrompt(JSON.parse(r.stdout)),
  );
}

export function taskIdsIn(text: string, candidates: readonly string[]): string[] {
  return candidates.filter((id) => text.includes(`task ${id}`));
}

function cpuTicks(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ");
    return fields ? Number(fields[11]) + Number(fields[12]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves once every process in `pids` has stopped using CPU (it has loaded its bundle and waits on
 * stdin), or after `maxMs`. Outside Linux, falls back to waiting `maxMs / 4`.
 */
export async function whenIdle(pids: readonly number[], maxMs = 10_000): Promise<void> {
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const deadline = Date.now() + maxMs;
  if (cpuTicks(process.pid) === undefined) return sleep(maxMs / 4);
  let last = pids.map(cpuTicks);
  let calm = 0;
  while (Date.now() < deadline && calm < 3) {
    await sleep(60);
    const now = pids.map(cpuTicks);
    calm = now.every((t, i) => t === last[i]) ? calm + 1 : 0;
    last = now;
  }
}

/** A gate for fireAll: open it once every process spawned through `track` is idle on stdin. */
export function idleGate(): { track: (pid: number) => void; open: () => Promise<void>; gate: Promise<void> } {
  const pids: number[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    track: (pid) => pids.push(pid),
    gate,
    open: async () => {
      await whenIdle(pids);
      release();
    },
  };
}

export interface RecordedBatch {
  id: string;
  openedAt: number;
  recordedAt: number[];
  deliveredAt?: number;
}

export function batchesIn(project: TempProject): RecordedBatch[] {
  let text: string;
  try {
    text = readFileSync(join(project.stateDir, "state.json"), "utf8");
  } catch {
    return [];
  }
  const state = JSON.parse(text) as {
    batches: { id: string; openedAt: number; deliveredAt?: number; items: { recordedAt: number }[] }[];
  };
  return state.batches.map((b) => ({
    id: b.id,
    openedAt: b.openedAt,
    recordedAt: b.items.map((i) => i.recordedAt),
    ...(b.deliveredAt !== undefined ? { deliveredAt: b.deliveredAt } : {}),
  }));
}

/**
 * Runs a timing scenario until the machine lets its premise hold (e.g. "both completions were recorded
 * within the window"), at most `tries` times; the behaviour is asserted on the first run whose premise
 * held. A loaded machine retries; a wrong implementation still fails.
 */
export async function withPremise<T>(
  tries: number,
  scenario: () => Promise<T>,
  premise: (result: T) => boolean,
): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await scenario();
    if (premise(last)) return last;
  }
  throw new Error(`the scenario's timing premise never held in ${tries} tries (machine too loaded?)`);
}

/** The fields of a transcript entry the tests read. */
export interface TranscriptLine {
  type?: string;
  uuid?: string;
  promptId?: string;
  message?: { content?: unknown };
}

/** A recorded transcript's task notices: each one's prompt, in transcript order, and whether it came after the first wake-up echo. */
export function transcriptNotices(file: string): { promptId: string; taskId: string; afterEcho: boolean }[] {
  const out: { promptId: string; taskId: string; afterEcho: boolean }[] = [];
  let echo = false;
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    if (!raw) continue;
    const line = JSON.parse(raw) as TranscriptLine;
    if (line.type !== "user" || !line.promptId) continue;
    const text = JSON.stringify(line.message?.content ?? "");
    if (text.includes("Background tasks finished (bg-notify)")) echo = true;
    const task = /<task-id>([^<]+)<\/task-id>/.exec(text);
    if (task) out.push({ promptId: line.promptId, taskId: task[1]!, afterEcho: echo });
  }
  return out;
}
