// What the benchmarks feed the hooks: Claude Code's recorded inputs (test/fixtures) with the state a
// session had built up by that point, and synthetic notices and recordings for bursts and wake-ups.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type HookCommand, loadHookCommands, parseRecording, type RecordedEvent } from "../src/replay.ts";
import { type DirSnapshot, restoreDir, snapshotDir } from "./measure.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export type Input = Record<string, unknown>;

export interface Workspace {
  /** CLAUDE_PROJECT_DIR of every run (no .claude/bg-notify.json: defaults). */
  project: string;
  /** BG_NOTIFY_STATE_DIR of every run, restored from a snapshot before each. */
  stateDir: string;
}

export function workspace(root: string, name: string): Workspace {
  const project = join(root, name);
  mkdirSync(project, { recursive: true });
  return { project, stateDir: join(project, "state") };
}

export function hookEnv(ws: Workspace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CLAUDE_PROJECT_DIR: ws.project, BG_NOTIFY_STATE_DIR: ws.stateDir };
  for (const name of ["BG_NOTIFY_BATCH_WINDOW_MS", "BG_NOTIFY_MAX_BATCH_SIZE", "BG_NOTIFY_MODE"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("BG_NOTIFY_CLOCK")) delete env[name];
  return { ...env, ...extra };
}

export function loadFixture(name: string): RecordedEvent[] {
  return parseRecording(readFileSync(join(ROOT, "test", "fixtures", name), "utf8"));
}

/** The shipped bundle and its source entry for a hook script named in hooks.json. */
export function entryPaths(script: string): { dist: string; src: string } {
  const name = script.replace(/\.js$/, "");
  return { dist: join(ROOT, "dist", "hooks", `${name}.js`), src: join(ROOT, "src", "entries", `${name}.ts`) };
}

function matches(command: HookCommand, input: Input): boolean {
  if (command.event !== input["hook_event_name"]) return false;
  if (!command.matcher || command.matcher === "*") return true;
  const subject = input["tool_name"] ?? input["source"] ?? input["agent_type"];
  if (typeof subject !== "string") return true;
  return new RegExp(`^(?:${command.matcher})$`).test(subject);
}

/**
 * Plays a recording through the sync hooks hooks.json names (in order, as Claude Code awaits them) and
 * returns the state directory as it was before each event, and at the end. The async rewake is left
 * out: it only waits and delivers, which the later hooks in these recordings do as well.
 */
export function statesAlong(recording: readonly RecordedEvent[], ws: Workspace): DirSnapshot[] {
  const commands = loadHookCommands(ROOT).filter((c) => !c.async);
  restoreDir(ws.stateDir, new Map());
  const snapshots: DirSnapshot[] = [];
  for (const event of recording) {
    snapshots.push(snapshotDir(ws.stateDir));
    for (const command of commands.filter((c) => matches(c, event.input))) {
      spawnSync(process.execPath, command.args.slice(-1), {
        input: JSON.stringify(event.input),
        env: hookEnv(ws),
        encoding: "utf8",
      });
    }
  }
  snapshots.push(snapshotDir(ws.stateDir));
  return snapshots;
}

export function noticePrompt(taskId: string, status = "completed", exitCode = status === "completed" ? 0 : 1): string {
  const summary =
    status === "completed"
      ? `Background command "job ${taskId}" completed (exit code ${exitCode})`
      : `Background command "job ${taskId}" failed with exit code ${exitCode}`;
  return [
    "<task-notification>",
    `<task-id>${taskId}</task-id>`,
    `<tool-use-id>toolu_${taskId}</tool-use-id>`,
    `<output-file>/tmp/claude-1000/-home-dev-project/tasks/${taskId}.output</output-file>`,
    `<status>${status}</status>`,
    `<summary>${summary}</summary>`,
    "</task-notification>",
  ].join("\n");
}

export function taskId(i: number): string {
  return `b${i.toString(36).padStart(8, "0")}`;
}

/**
 * A session that launches `count` background shells in one turn and goes idle; they finish `gapMs`
 * apart. Shaped like three-background-shells.jsonl, with the count and the spacing as parameters.
 */
export function burstRecording(count: number, gapMs: number, sessionId: string): RecordedEvent[] {
  const base = {
    session_id: sessionId,
    transcript_path: `/home/dev/.claude/projects/-home-dev-project/${sessionId}.jsonl`,
    cwd: "/home/dev/project",
  };
  const events: RecordedEvent[] = [];
  let t = 0;
  const at = (ms: number, input: Input) => events.push({ offsetMs: ms, input: { ...base, ...input } });
  at(t, { hook_event_name: "SessionStart", source: "startup" });
  at((t += 150), { hook_event_name: "UserPromptSubmit", prompt: `run ${count} background jobs` });
  const tasks: Input[] = [];
  for (let i = 0; i < count; i++) {
    const id = taskId(i);
    const toolInput = { command: `sleep 1; echo ${i}`, description: `job ${id}`, run_in_background: true };
    at((t += 20), {
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: toolInput,
      tool_response: { stdout: "", stderr: "", interrupted: false, backgroundTaskId: id },
      tool_use_id: `toolu_${id}`,
    });
    tasks.push({ id, type: "shell", status: "running", description: `job ${id}`, command: toolInput.command });
  }
  at((t += 150), {
    hook_event_name: "Stop",
    stop_hook_active: false,
    last_assistant_message: "Launched. Waiting.",
    background_tasks: tasks,
  });
  t += 400;
  for (let i = 0; i < count; i++) {
    at(t + i * gapMs, { hook_event_name: "UserPromptSubmit", prompt: noticePrompt(taskId(i)) });
  }
  at(t + count * gapMs + 2500, { hook_event_name: "SessionEnd", reason: "other" });
  return events;
}
