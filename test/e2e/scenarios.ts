/**
 * The scripted e2e scenarios: what the stand-in model answers, and what must hold afterwards
 * without the plugin (native Claude Code 2.1.332) and with it.
 */
import { allContextText, idsIn, type RunAnalysis } from "./analyze.ts";
import {
  assistantCount,
  firstUserText,
  lastToolResults,
  type RecordedRequest,
  type ReplyBlock,
  type Scenario,
  type ScriptedReply,
  text,
} from "./messages-api-stub.ts";

export interface E2EScenario {
  name: string;
  title: string;
  prompt: string;
  allowedTools: string[];
  /** extra env for the CLI (passed in both baseline and plugin runs) */
  env?: Record<string, string>;
  script: Scenario;
  /** how many background tasks the script launches */
  expectedTasks: number;
  /** assertions; each returns failure messages (empty = pass) */
  assertBaseline: (a: RunAnalysis) => string[];
  assertPlugin: (a: RunAnalysis) => string[];
}

// ---------------------------------------------------------------------------------------------
// scripting helpers
// ---------------------------------------------------------------------------------------------

const bgBash = (command: string, description: string): ReplyBlock => ({
  type: "tool_use",
  name: "Bash",
  input: { command, description, run_in_background: true },
});

function tailHasToolResult(req: RecordedRequest): boolean {
  return lastToolResults(req.body).length > 0;
}

/**
 * The common shape: the first parent request launches work; tool results get "Launched. Waiting.";
 * any later parent turn (wake-up) is acknowledged with "Noted.". Subagent/auxiliary requests get `other`.
 */
function launchScript(launch: ScriptedReply, other: Scenario = () => text("OK.")): Scenario {
  return (req, stub) => {
    if (req.kind !== "main") return other(req, stub);
    if (assistantCount(req.body) === 0) return launch;
    if (tailHasToolResult(req)) return text("Launched. Waiting.");
    return text("Noted.");
  };
}

// ---------------------------------------------------------------------------------------------
// assertion helpers
// ---------------------------------------------------------------------------------------------

function expectTasks(a: RunAnalysis, n: number): string[] {
  return a.tasks.length === n
    ? []
    : [
        `expected ${n} background tasks launched, saw ${a.tasks.length} (${a.tasks.map((t) => t.id).join(", ")})`,
      ];
}

function expectAllDelivered(a: RunAnalysis): string[] {
  const missing = a.tasks.map((t) => t.id).filter((id) => !a.delivered.includes(id));
  return missing.length ? [`task ids never reached the parent model: ${missing.join(", ")}`] : [];
}

function expectWakeUps(a: RunAnalysis, min: number, max: number = min): string[] {
  const n = a.wakeUps.length;
  if (n >= min && n <= max) return [];
  const range = min === max ? `${min}` : `${min}..${max}`;
  return [`expected ${range} parent wake-up(s), saw ${n} (${a.wakeUps.map((w) => w.wakeKind).join(", ")})`];
}

function expectInText(where: string, haystack: string, needles: string[]): string[] {
  const missing = needles.filter((n) => !haystack.includes(n));
  return missing.length ? [`${where} lacks: ${missing.map((m) => JSON.stringify(m)).join(", ")}`] : [];
}

function expectNativeNoticesEach(a: RunAnalysis, count: number): string[] {
  const bad = Object.entries(a.nativeNoticeCounts).filter(([, c]) => c !== count);
  return bad.length
    ? [
        `expected each task's native <task-notification> to reach the model ${count}x: ${bad.map(([id, c]) => `${id}=${c}`).join(", ")}`,
      ]
    : [];
}

/** How many parent requests put text matching `re` in front of the model (after the first request). */
function requestsMatching(a: RunAnalysis, re: RegExp): number {
  return a.infos.filter((i) => i.trigger !== "initial" && re.test(i.contextText)).length;
}

/** The plugin's combined summary (BG_NOTIFY_MODE=summarize); override with BG_NOTIFY_E2E_SUMMARY_RE. */
export function summaryRegex(n: number): RegExp {
  const custom = process.env.BG_NOTIFY_E2E_SUMMARY_RE;
  return custom ? new RegExp(custom, "i") : new RegExp(`\\b${n} background tasks\\b`, "i");
}

/** Exactly one wake-up that carries everything in `needles` plus every task id. */
function expectOneWakeUpCarrying(a: RunAnalysis, needles: string[]): string[] {
  const f = [...expectWakeUps(a, 1)];
  const w = a.wakeUps[0];
  if (!w) return f;
  const ids = a.tasks.map((t) => t.id);
  f.push(...expectInText("the wake-up", w.contextText, [...ids, ...needles]));
  return f;
}

// ---------------------------------------------------------------------------------------------
// scenarios
// ---------------------------------------------------------------------------------------------

const threeShellsLaunch: ScriptedReply = {
  content: [
    { type: "text", text: "Launching three background jobs." },
    bgBash("sleep 1; echo a", "job a"),
    bgBash("sleep 1.2; echo b", "job b"),
    bgBash("sleep 1.4; exit 3", "job c"),
  ],
};

const threeShells: E2EScenario = {
  name: "three-shells",
  title: "3 background Bash (one exits 3)",
  prompt: "run background jobs",
  allowedTools: ["Bash", "Read"],
  script: launchScript(threeShellsLaunch),
  expectedTasks: 3,
  assertBaseline: (a) => [
    ...expectTasks(a, 3),
    ...expectAllDelivered(a),
    ...expectWakeUps(a, 1, 3),
    ...expectNativeNoticesEach(a, 1),
    ...expectInText("the notices", allContextText(a), ["exit code 3"]),
  ],
  assertPlugin: (a) => [
    ...expectTasks(a, 3),
    ...expectOneWakeUpCarrying(a, [
      "exit code 3",
      ...a.tasks.map((t) => t.outputFile).filter((f): f is string => !!f),
    ]),
  ],
};

/**
 * Each subagent answers at a fixed time after the FIRST subagent request (not after its own), so the
 * three finish within 0.3 s of each other even when CPU load staggers their start by half a second.
 */
const AGENT_RESULTS: Record<string, { result: string; finishAtMs: number }> = {
  "SUBTASK-ONE": { result: "Result one: found 3 files.", finishAtMs: 1000 },
  "SUBTASK-TWO": { result: "Result two: all tests pass.", finishAtMs: 1150 },
  "SUBTASK-THREE": { result: "Result three: nothing found.", finishAtMs: 1300 },
};

const threeAgents: E2EScenario = {
  name: "three-agents",
  title: "3 background Agent calls",
  prompt: "run background agents",
  allowedTools: ["Bash", "Read", "Agent"],
  script: launchScript(
    {
      content: [
        { type: "text", text: "Starting three agents." },
        {
          type: "tool_use",
          name: "Agent",
          input: {
            description: "agent one",
            prompt: "SUBTASK-ONE do it",
            subagent_type: "general-purpose",
            run_in_background: true,
          },
        },
        {
          type: "tool_use",
          name: "Agent",
          input: {
            description: "agent two",
            prompt: "SUBTASK-TWO do it",
            subagent_type: "general-purpose",
            run_in_background: true,
          },
        },
        {
          type: "tool_use",
          name: "Agent",
          input: {
            description: "agent three",
            prompt: "SUBTASK-THREE do it",
            subagent_type: "Explore",
            run_in_background: true,
          },
        },
      ],
    },
    (req, stub) => {
      if (req.kind !== "subagent") return text("OK.");
      const first = firstUserText(req.body);
      const key = Object.keys(AGENT_RESULTS).find((k) => first.includes(k));
      if (!key) return text("Subagent done.");
      const r = AGENT_RESULTS[key]!;
      stub.state.firstSubagentAt ??= req.at;
      const delayMs = Math.max(0, (stub.state.firstSubagentAt as number) + r.finishAtMs - stub.now());
      return { content: [{ type: "text", text: r.result }], delayMs };
    },
  ),
  expectedTasks: 3,
  assertBaseline: (a) => [
    ...expectTasks(a, 3),
    ...expectAllDelivered(a),
    ...expectWakeUps(a, 1, 3),
    ...expectNativeNoticesEach(a, 1),
    ...expectInText(
      "the notices",
      allContextText(a),
      Object.values(AGENT_RESULTS).map((r) => r.result),
    ),
  ],
  assertPlugin: (a) => [
    ...expectTasks(a, 3),
    ...expectOneWakeUpCarrying(
      a,
      Object.values(AGENT_RESULTS).map((r) => r.result),
    ),
  ],
};

const SEVEN = [1, 2, 3, 4, 5, 6, 7];
const sevenShells: E2EScenario = {
  name: "seven-shells",
  title: "7 background Bash finishing together",
  prompt: "run seven background jobs",
  allowedTools: ["Bash", "Read"],
  script: launchScript({
    content: [
      { type: "text", text: "Launching seven jobs." },
      ...SEVEN.map((n) => bgBash(`sleep 1.5; echo ${n}`, `job ${n}`)),
    ],
  }),
  expectedTasks: 7,
  assertBaseline: (a) => [
    ...expectTasks(a, 7),
    ...expectAllDelivered(a),
    ...expectWakeUps(a, 1, 7),
    ...expectNativeNoticesEach(a, 1),
  ],
  // Two batches (5 + 2). The second often rides on the first wake-up's echo as context (the echo
  // delivers whatever is owed), which makes it one wake-up; never more than two.
  assertPlugin: (a) => [...expectTasks(a, 7), ...expectAllDelivered(a), ...expectWakeUps(a, 1, 2)],
};

/**
 * Mid-turn: request 1 launches a background shell (sleep 1); request 2 (its tool result) runs a
 * foreground `sleep 4`; the background shell finishes during it. Request 3 (the foreground tool
 * result, same turn) must carry the completion; no wake-up afterwards.
 */
const midTurn: E2EScenario = {
  name: "mid-turn",
  title: "bg shell done during fg sleep 4",
  prompt: "run a background job, then a slow foreground one",
  allowedTools: ["Bash", "Read"],
  script: (req) => {
    if (req.kind !== "main") return text("OK.");
    const n = assistantCount(req.body);
    if (n === 0) return { content: [bgBash("sleep 1; echo bg-done", "bg job")] };
    if (tailHasToolResult(req) && n === 1) {
      return {
        content: [
          {
            type: "tool_use",
            name: "Bash",
            input: { command: "sleep 4; echo fg-done", description: "fg job" },
          },
        ],
      };
    }
    if (tailHasToolResult(req)) return text("Turn finished.");
    return text("Noted.");
  },
  expectedTasks: 1,
  assertBaseline: (a) => [...expectTasks(a, 1), ...expectMidTurnDelivery(a), ...expectWakeUps(a, 0)],
  assertPlugin: (a) => [...expectTasks(a, 1), ...expectMidTurnDelivery(a), ...expectWakeUps(a, 0)],
};

/** The request that carries the foreground `sleep 4` result must also carry the bg task id as context. */
function expectMidTurnDelivery(a: RunAnalysis): string[] {
  const task = a.tasks[0];
  if (!task) return ["no background task launched"];
  const fg = a.infos.find((i) => i.trigger === "tool_result" && i.toolResultText.includes("fg-done"));
  if (!fg) return ["no request carried the foreground tool result (fg-done)"];
  return idsIn(fg.contextText, [task.id]).length
    ? []
    : [`the in-turn request #${fg.req.seq} after the foreground tool did not carry task ${task.id}`];
}

const summarize: E2EScenario = {
  name: "summarize",
  title: "as three-shells, BG_NOTIFY_MODE=summarize",
  prompt: "run background jobs",
  allowedTools: ["Bash", "Read"],
  env: { BG_NOTIFY_MODE: "summarize" },
  script: launchScript(threeShellsLaunch),
  expectedTasks: 3,
  assertBaseline: (a) => {
    const n = requestsMatching(a, summaryRegex(3));
    return [
      ...expectTasks(a, 3),
      ...expectNativeNoticesEach(a, 1),
      ...(n === 0 ? [] : [`no plugin: summary ${summaryRegex(3)} should not appear, saw ${n}`]),
    ];
  },
  assertPlugin: (a) => {
    const n = requestsMatching(a, summaryRegex(3));
    return [
      ...expectTasks(a, 3),
      ...expectNativeNoticesEach(a, 1),
      ...(n === 1
        ? []
        : [`expected the combined summary ${summaryRegex(3)} to reach the model once, saw ${n}`]),
    ];
  },
};

export const SCENARIOS: E2EScenario[] = [threeShells, threeAgents, sevenShells, midTurn, summarize];
