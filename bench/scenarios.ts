// What the benchmarks feed the hooks: Claude Code's recorded inputs (test/fixtures) with the state a
// session had built up by that point, and synthetic notices and recordings for bursts and wake-ups.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { commandRunsFor, loadHookCommands } from "../src/replay/hooks-file.ts";
import { isTurnOfHeld, parseRecording, type RecordedEvent } from "../src/replay/recording.ts";
import { INBOX_DIR } from "../src/store/paths.ts";
import { QUIET_FLAGS } from "../src/store/quiet-flags.ts";
import { noticePrompt as sharedNoticePrompt } from "../test/fixtures/claude-inputs.ts";
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
  // The state directory users have: the project's own, checked as the store checks it.
  return { project, stateDir: join(project, ".claude", "bg-notify") };
}

export function hookEnv(ws: Workspace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLAUDE_PROJECT_DIR: ws.project,
  };
  delete env["BG_NOTIFY_STATE_DIR"];
  for (const name of ["BG_NOTIFY_BATCH_WINDOW_MS", "BG_NOTIFY_MAX_BATCH_SIZE", "BG_NOTIFY_MODE"])
    delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("BG_NOTIFY_CLOCK")) delete env[name];
  return { ...env, ...extra };
}

export function loadFixture(name: string): RecordedEvent[] {
  return parseRecording(readFileSync(join(ROOT, "test", "fixtures", name), "utf8"));
}

/** Where the bundles under test are: dist/, or another build given with `--dist=DIR` (e.g. an older one). */
let distDir = join(ROOT, "dist");

export function useDist(dir: string): void {
  distDir = resolve(dir);
}

/** The shipped bundle and its source entry for a hook script named in hooks.json. */
export function entryPaths(script: string): { dist: string; src: string } {
  const name = script.replace(/\.js$/, "");
  return {
    dist: join(distDir, "hooks", `${name}.js`),
    src: join(ROOT, "src", "plugin", "entries", `${name}.ts`),
  };
}

/**
 * Plays a recording through the sync hooks hooks.json names (in order, as Claude Code awaits them) and
 * returns the state directory as it was before each event, and at the end. The async rewake is left
 * out: it only waits and delivers, which the later hooks in these recordings do as well.
 */
export function statesAlong(recording: readonly RecordedEvent[], ws: Workspace): DirSnapshot[] {
  restoreDir(ws.stateDir, new Map());
  const snapshots: DirSnapshot[] = [];
  // A native recording's turn of a notice the plugin holds never happens under it (replay does the same).
  const held = new Set<string>();
  for (const event of recording) {
    snapshots.push(snapshotDir(ws.stateDir));
    if (isTurnOfHeld(event.input, held)) continue;
    const blocked = runSyncHooks(event.input, ws);
    const promptId = event.input["prompt_id"];
    if (blocked && typeof promptId === "string") held.add(promptId);
  }
  snapshots.push(snapshotDir(ws.stateDir));
  return snapshots;
}

/** The state directory after the sync hooks for `input` ran on `state`. */
export function stateAfter(state: DirSnapshot, input: Input, ws: Workspace): DirSnapshot {
  restoreDir(ws.stateDir, state);
  runSyncHooks(input, ws);
  return snapshotDir(ws.stateDir);
}

/**
 * Every hook that records (the async Bash one too); not the window timer, which would wait it out.
 * Whether one of them held the prompt.
 */
function runSyncHooks(input: Input, ws: Workspace): boolean {
  let blocked = false;
  for (const command of loadHookCommands(ROOT).filter((c) => !c.rewake && commandRunsFor(c, input))) {
    const run = spawnSync(command.command === "node" ? process.execPath : command.command, command.args, {
      input: JSON.stringify(input),
      env: hookEnv(ws),
      encoding: "utf8",
    });
    if (BLOCKS.test(run.stdout ?? "")) blocked = true;
  }
  return blocked;
}

export function noticePrompt(taskId: string, status = "completed", exitCode?: number): string {
  return sharedNoticePrompt(taskId, { status, ...(exitCode !== undefined ? { exitCode } : {}) });
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
  const after = (gapMs: number) => {
    t += gapMs;
    return t;
  };
  at(t, { hook_event_name: "SessionStart", source: "startup" });
  at(after(150), { hook_event_name: "UserPromptSubmit", prompt: `run ${count} background jobs` });
  const tasks: Input[] = [];
  for (let i = 0; i < count; i++) {
    const id = taskId(i);
    const toolInput = { command: `sleep 1; echo ${i}`, description: `job ${id}`, run_in_background: true };
    at(after(20), {
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: toolInput,
      tool_response: { stdout: "", stderr: "", interrupted: false, backgroundTaskId: id },
      tool_use_id: `toolu_${id}`,
    });
    tasks.push({
      id,
      type: "shell",
      status: "running",
      description: `job ${id}`,
      command: toolInput.command,
    });
  }
  at(after(150), {
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

/** A notice held back (Claude Code keeps it in the conversation; no turn starts for it). */
export const BLOCKS = /"continue":false/;
/** A combined notice in the hook's output. */
export const DELIVERS = /\[bg-notify\] \d+ background tasks? finished/;

export interface EventScenario {
  label: string;
  script: string;
  input: Input;
  state: DirSnapshot;
  env?: Record<string, string>;
  status?: 0 | 2;
  stdout?: RegExp;
  /** Nothing to do here: the launcher should answer without starting node. */
  fast?: boolean;
}

/** The same state with every sent batch seen received: nothing owed, nothing running. */
function acknowledged(state: DirSnapshot, ws: Workspace): DirSnapshot {
  restoreDir(ws.stateDir, state);
  const path = join(ws.stateDir, "state.json");
  const parsed = JSON.parse(readFileSync(path, "utf8")) as {
    batches: { ackedAt?: number; deliveredAt?: number }[];
  };
  for (const batch of parsed.batches)
    if (batch.deliveredAt !== undefined) batch.ackedAt ??= batch.deliveredAt;
  writeFileSync(path, JSON.stringify(parsed));
  // What the store would have left beside such a state.
  for (const flag of Object.values(QUIET_FLAGS)) writeFileSync(join(ws.stateDir, flag), "");
  return snapshotDir(ws.stateDir);
}

const queuedIds = (count: number) =>
  Array.from({ length: count }, (_, i) => `bq${String(i).padStart(6, "0")}`);

/** A state with `count` background launches hooks/run queued (its inbox files), shaped like `launch`. */
function withQueuedLaunches(state: DirSnapshot, launch: Input, count: number): DirSnapshot {
  const queued = new Map(state);
  for (const [i, taskId] of queuedIds(count).entries()) {
    const id = `toolu_queued_${String(i).padStart(3, "0")}`;
    const input = {
      ...launch,
      tool_use_id: id,
      tool_response: { ...(launch["tool_response"] as object), backgroundTaskId: taskId },
    };
    queued.set(`${INBOX_DIR}/${id}.json`, Buffer.from(`${JSON.stringify(input)}\n`));
  }
  return queued;
}

/**
 * A long session's transcript (~6 MB: turns with large tool output, multi-byte text), none of whose
 * entries is a held notice's: the hooks that look for them read its 4 MB tail and find nothing.
 */
function longTranscript(path: string): string {
  const out = "ok é — ✓ 日本 ".repeat(250);
  const lines: string[] = [];
  let parent: string | undefined;
  for (let turn = 0; lines.length < 1500; turn++) {
    const promptId = `00000000-0000-4000-8000-${String(turn).padStart(12, "0")}`;
    const user = `u-${turn}`;
    lines.push(
      JSON.stringify({
        type: "user",
        uuid: user,
        parentUuid: parent,
        promptId,
        message: { content: "go on" },
      }),
    );
    parent = user;
    for (let k = 0; k < 3; k++) {
      const uuid = `a-${turn}-${k}`;
      lines.push(
        JSON.stringify({ type: "assistant", uuid, parentUuid: parent, promptId, message: { content: out } }),
      );
      parent = uuid;
    }
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** One recorded input per hook event, with the state a session had built up by then. */
export function eventScenarios(prep: Workspace): EventScenario[] {
  const transcript = longTranscript(join(prep.project, "long-transcript.jsonl"));
  const shells = loadFixture("three-background-shells.jsonl");
  const agents = loadFixture("three-background-agents.jsonl");
  const shellStates = statesAlong(shells, prep);
  const agentStates = statesAlong(agents, prep);
  const s = (i: number) => (shells[i] as { input: Input }).input;
  const a = (i: number) => (agents[i] as { input: Input }).input;
  const at = (states: DirSnapshot[], i: number) => states[i] as DirSnapshot;
  // The recording's end leaves a batch owed (no rewake ran); a typed prompt then hands it over.
  const ended = at(shellStates, shellStates.length - 1);
  const settled = stateAfter(ended, s(1), prep);
  const quiet = acknowledged(settled, prep);
  const launch = s(4);
  const foreground = {
    ...launch,
    tool_input: { command: "git status --short", description: "Show changes" },
    tool_response: { stdout: " M README.md", stderr: "", interrupted: false, isImage: false },
  };
  // The recording's Stop after the first notice is that notice's own turn, recorded natively; under the
  // plugin the notice is held and starts none. A Stop with a batch due ends some other turn.
  const laterTurnStop = { ...s(11), prompt_id: "0b5e7ed0-0000-4000-8000-00000000a11e" };
  return [
    {
      label: "UserPromptSubmit: typed prompt, nothing owed or running (fast path)",
      script: "user-prompt-submit.js",
      input: s(1),
      state: quiet,
      fast: true,
    },
    {
      label: "rewake: typed prompt (fast path)",
      script: "rewake.js",
      input: s(1),
      state: quiet,
      fast: true,
    },
    {
      label: "PostToolUse (Bash, async): foreground call (fast path)",
      script: "launch.js",
      input: foreground,
      state: quiet,
      fast: true,
    },
    {
      label: "PostToolUse (Bash, async): background launch, queued (fast path)",
      script: "launch.js",
      input: launch,
      state: at(shellStates, 4),
      fast: true,
    },
    {
      label: "Stop: idle, nothing running (fast path)",
      script: "stop.js",
      input: { ...s(9), background_tasks: [] },
      state: quiet,
      fast: true,
    },
    {
      label: "PreToolUse: Agent, concurrency limits off (fast path)",
      script: "pre-tool-use.js",
      input: a(2),
      state: at(agentStates, 2),
      fast: true,
    },
    {
      label: "SessionStart (startup; an earlier session's state)",
      script: "session-start.js",
      input: s(0),
      state: at(agentStates, agentStates.length - 1),
    },
    {
      label: "UserPromptSubmit: typed prompt, a batch sent, not yet seen received",
      script: "user-prompt-submit.js",
      input: s(1),
      state: settled,
    },
    {
      // hooks/run queues the turn it starts (the bundle alone: node notes it, as with a config file).
      label: "UserPromptSubmit: new typed prompt while tasks run (its turn queued, fast path)",
      script: "user-prompt-submit.js",
      input: { ...s(1), prompt_id: "0b5e7c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e", prompt: "how is it going?" },
      state: at(shellStates, 9),
      fast: true,
    },
    {
      label: "UserPromptSubmit: typed prompt, carries an owed batch",
      script: "user-prompt-submit.js",
      input: s(1),
      state: ended,
      stdout: DELIVERS,
    },
    {
      label: "UserPromptSubmit: completion notice (record, block)",
      script: "user-prompt-submit.js",
      input: s(10),
      state: at(shellStates, 10),
      stdout: BLOCKS,
    },
    {
      // A burst's first notice after a turn that launched 20 shells: its commit takes their queued launches.
      label: "UserPromptSubmit: completion notice, 20 launches queued (folds them)",
      script: "user-prompt-submit.js",
      input: s(10),
      state: withQueuedLaunches(at(shellStates, 10), launch, 20),
      stdout: BLOCKS,
    },
    {
      // The burst's last notice: with nothing left running the claim does not wait for a pause in the
      // notices (src/plugin/handlers/rewake.ts), so this is the claim's own cost.
      label: "rewake: last notice, window 0 (claim, wake)",
      script: "rewake.js",
      input: s(14),
      state: at(shellStates, 14),
      env: { BG_NOTIFY_BATCH_WINDOW_MS: "0" },
      status: 2,
    },
    {
      label: "PreToolUse: Agent, concurrency enforced (check)",
      script: "pre-tool-use.js",
      input: a(2),
      state: at(agentStates, 2),
      env: { BG_NOTIFY_CONCURRENCY: "enforce" },
    },
    {
      label: "PostToolUse: Bash launch (node, as before)",
      script: "post-tool-use.js",
      input: s(4),
      state: at(shellStates, 4),
    },
    {
      label: "PostToolUse: Agent launch",
      script: "post-tool-use.js",
      input: a(5),
      state: at(agentStates, 5),
    },
    { label: "SubagentStart", script: "subagent-start.js", input: a(6), state: at(agentStates, 6) },
    { label: "SubagentStop", script: "subagent-stop.js", input: a(13), state: at(agentStates, 13) },
    {
      label: "Stop: tasks running, nothing due",
      script: "stop.js",
      input: s(9),
      state: at(shellStates, 9),
    },
    {
      label: "Stop: 20 shells launched this turn (folds their queued launches)",
      script: "stop.js",
      input: {
        ...s(9),
        background_tasks: [
          ...(s(9)["background_tasks"] as unknown[]),
          ...queuedIds(20).map((id) => ({
            id,
            type: "shell",
            status: "running",
            description: "job",
            command: "x",
          })),
        ],
      },
      state: withQueuedLaunches(at(shellStates, 9), launch, 20),
    },
    {
      label: "Stop: hands over a due batch",
      script: "stop.js",
      input: laterTurnStop,
      state: at(shellStates, 11),
      stdout: DELIVERS,
    },
    {
      label: "Stop: hands over a due batch, a 6 MB transcript",
      script: "stop.js",
      input: { ...laterTurnStop, transcript_path: transcript },
      state: at(shellStates, 11),
      stdout: DELIVERS,
    },
    { label: "SessionEnd", script: "session-end.js", input: s(16), state: at(shellStates, 16) },
  ];
}

/**
 * One turn launches shells that end at the given seconds (a failing one exits 1), completions arriving
 * while the parent is idle: a spread-out piece of work, for comparing policies (wake-ups per policy).
 */
export function spreadRecording(
  endsS: readonly number[],
  sessionId: string,
  failing?: number,
): RecordedEvent[] {
  const base = {
    session_id: sessionId,
    transcript_path: `/home/dev/.claude/projects/-home-dev-project/${sessionId}.jsonl`,
    cwd: "/home/dev/project",
  };
  const turn = "7e1d0000-0000-4000-8000-000000000001";
  const events: RecordedEvent[] = [];
  const at = (ms: number, input: Input) => events.push({ offsetMs: ms, input: { ...base, ...input } });
  at(0, { hook_event_name: "SessionStart", source: "startup" });
  at(150, { hook_event_name: "UserPromptSubmit", prompt: "run the shards", prompt_id: turn });
  const ids = endsS.map((_, i) => taskId(i));
  for (const [i, id] of ids.entries())
    at(170 + i * 20, {
      hook_event_name: "PostToolUse",
      prompt_id: turn,
      tool_name: "Bash",
      tool_input: { command: `sleep ${endsS[i]}`, description: `shard ${i}`, run_in_background: true },
      tool_response: { stdout: "", stderr: "", interrupted: false, backgroundTaskId: id },
      tool_use_id: `toolu_${id}`,
    });
  const listed = (from: number) =>
    ids
      .slice(from)
      .map((id, i) => ({ id, type: "shell", status: "running", description: `shard ${from + i}` }));
  at(400, {
    hook_event_name: "Stop",
    stop_hook_active: false,
    last_assistant_message: "Launched.",
    background_tasks: listed(0),
  });
  const order = endsS.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  for (const [s, i] of order) {
    const failed = i === failing;
    at(s * 1000 + 170 + i * 20, {
      hook_event_name: "UserPromptSubmit",
      prompt: noticePrompt(taskId(i), failed ? "failed" : "completed", failed ? 1 : 0),
    });
  }
  at(Math.max(...endsS) * 1000 + 5000, { hook_event_name: "SessionEnd", reason: "other" });
  return events;
}
