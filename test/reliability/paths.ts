// Path safety: ids and paths from stdin (session_id, agent_id, task ids, tool ids, output and transcript
// paths, cwd) carrying `../`, absolute paths, NUL and shell syntax, through every hook as real processes
// started in a working directory inside the temp tree. Afterwards nothing may exist in the tree outside
// the state directory, and inside it only the store's own files.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runHook } from "../../src/plugin/runtime.ts";
import { EVENTS } from "./fuzz.ts";
import {
  type HookName,
  type HookOutcome,
  hasStackTrace,
  hookEnv,
  listTree,
  noticePrompt,
  promptInput,
  startHook,
  stdoutIsValid,
  tempTree,
} from "./harness.ts";

export function hostileIds(root: string): string[] {
  return [
    "../../outside-evil",
    "..",
    ".",
    "../state.json",
    "a/../../../b-evil",
    `${root}/abs-evil`,
    "/etc/evil",
    "a\u0000b-evil",
    "\u0000",
    "..\\..\\win-evil",
    "%2e%2e%2fenc-evil",
    "~/home-evil",
    "$(touch shell-evil)",
    "`touch tick-evil`",
    "state.lock",
    "x".repeat(300),
    "",
  ];
}

function inputsFor(id: string, root: string): [HookName, Record<string, unknown>][] {
  const common = {
    session_id: id,
    transcript_path: `${root}/t-evil/${id}.jsonl`,
    cwd: `${root}/cwd-evil/${id}`,
  };
  const notice = promptInput(id, noticePrompt(id, { result: `output of ${id}` }));
  Object.assign(notice, common);
  return [
    ["user-prompt-submit", notice],
    ["rewake", notice],
    [
      "pre-tool-use",
      {
        ...common,
        hook_event_name: "PreToolUse",
        tool_name: "Agent",
        tool_input: { model: id, subagent_type: id },
      },
    ],
    [
      "launch",
      {
        ...common,
        hook_event_name: "PostToolUse",
        tool_name: "Bash",
        tool_input: { command: id, description: id, run_in_background: true },
        tool_response: { backgroundTaskId: id },
        tool_use_id: id,
      },
    ],
    [
      "post-tool-use",
      {
        ...common,
        hook_event_name: "PostToolUse",
        tool_name: "Agent",
        tool_input: { description: id },
        tool_response: { status: "async_launched", agentId: id, outputFile: `${root}/out-evil/${id}` },
        tool_use_id: id,
      },
    ],
    ["subagent-start", { ...common, hook_event_name: "SubagentStart", agent_id: id, agent_type: id }],
    [
      "subagent-stop",
      {
        ...common,
        hook_event_name: "SubagentStop",
        agent_id: id,
        agent_type: "",
        agent_transcript_path: `${root}/../${id}`,
        last_assistant_message: id,
        background_tasks: [{ id, type: "agent" }],
      },
    ],
    ["stop", { ...common, hook_event_name: "Stop", background_tasks: [{ id, type: "shell", command: id }] }],
    // A source of its own would match no SessionStart matcher: Claude Code would run nothing for it.
    ["session-start", { ...common, hook_event_name: "SessionStart", source: "startup", model: id }],
    ["session-end", { ...common, hook_event_name: "SessionEnd", reason: id }],
  ];
}

/** What the store may create in its directory. */
const STORE_FILE =
  /^(\.gitignore|state\.json|state\.lock\/?|events(\.1)?\.jsonl|journal(\.1)?\.jsonl|state\.json\.\d+\.[0-9a-f]+\.tmp|state\.corrupt-\d+-\d+\.json|nothing-(owed|running)|(inbox|folded)\/|(inbox|folded)\/[A-Za-z0-9_-]{1,128}\.json)$/;

export interface PathFigures {
  runs: number;
  /** Entries anywhere in the temp tree outside the state directory (other than the dirs we made). */
  outside: string[];
  /** Entries in the state directory that are not the store's own files. */
  strangeInStateDir: string[];
  badRuns: number;
}

/**
 * `processes`: every input as a real hook process, started in a working directory inside the tree.
 * Otherwise every input goes through `runHook` in this process (chdir'd there, the same code path) and
 * only the first few ids through real processes: the bounded version inside `npm test`.
 */
export async function hostilePaths(processes = true): Promise<PathFigures> {
  const tree = tempTree("paths");
  const home = process.cwd();
  try {
    const cwd = join(tree.root, "work", "a", "b");
    mkdirSync(cwd, { recursive: true });
    const env = hookEnv(tree, { BG_NOTIFY_BATCH_WINDOW_MS: "0" });
    const ids = hostileIds(tree.root);
    const launches = ids.flatMap((id) => inputsFor(id, tree.root));
    const real = processes ? launches : ids.slice(0, 3).flatMap((id) => inputsFor(id, tree.root));
    const outcomes: HookOutcome[] = [];
    if (!processes) {
      process.chdir(cwd);
      for (const [hook, input] of launches) {
        const { label, expected, handler, deadlineMs } = EVENTS[hook];
        const run = await runHook(label, expected, handler, JSON.stringify(input), { env, deadlineMs });
        outcomes.push({ hook, pid: process.pid, signal: null, durationMs: 0, ...run });
      }
      process.chdir(home);
    }
    for (let i = 0; i < real.length; i += 6) {
      const slice = real.slice(i, i + 6);
      outcomes.push(
        ...(await Promise.all(
          slice.map(([hook, input]) => {
            const proc = startHook(hook, JSON.stringify(input), env, undefined, cwd);
            return proc.done;
          }),
        )),
      );
    }
    const stateRel = "project/.claude/bg-notify/";
    const allowedDirs = new Set(["project/", "project/.claude/", stateRel, "work/", "work/a/", "work/a/b/"]);
    const entries = listTree(tree.root);
    return {
      runs: outcomes.length,
      outside: entries.filter((e) => !allowedDirs.has(e) && !e.startsWith(stateRel)),
      strangeInStateDir: entries
        .filter((e) => e.startsWith(stateRel) && e !== stateRel)
        .map((e) => e.slice(stateRel.length))
        .filter((name) => !STORE_FILE.test(name)),
      badRuns: outcomes.filter(
        (o) =>
          o.signal !== null ||
          !(o.exitCode === 0 || (o.hook === "rewake" && o.exitCode === 2)) ||
          !stdoutIsValid(o.stdout) ||
          hasStackTrace(o.stdout) ||
          hasStackTrace(o.stderr),
      ).length,
    };
  } finally {
    process.chdir(home);
    tree.cleanup();
  }
}
