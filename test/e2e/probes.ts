/**
 * Re-runnable evidence for OBSERVATIONS.md: small probes of Claude Code's hook and notification
 * behaviour, each with a throwaway probe plugin generated under the OS temp dir (hooks that log
 * their stdin and answer as a rule file says). Prints one verdict line per probe.
 *
 *   npx tsx test/e2e/probes.ts [--only=name,name] [--verbose] [--keep] [--concurrency=N]
 *
 * Runs on the host network namespace (the stub is on 127.0.0.1; the CLI env disables nonessential
 * traffic and points proxies at a dead loopback port). Wrap in `unshare -n sh -c 'ip link set lo up
 * && exec npx tsx test/e2e/probes.ts'` for hard isolation.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeRun, type RunAnalysis } from "./analyze.ts";
import { ensureClaudeCli } from "./claude-cli.ts";
import {
  assistantCount,
  lastToolResults,
  MessagesApiStub,
  type RecordedRequest,
  type Scenario,
  text,
} from "./messages-api-stub.ts";
import { backgroundSettled, type RunClaudeResult, runClaude } from "./run-claude.ts";

// ---------------------------------------------------------------------------------------------
// probe plugin
// ---------------------------------------------------------------------------------------------

const HOOK_SCRIPT = `// probe hook: log stdin to $PROBE_LOG, then act on the first matching rule of $PROBE_RULES[label]
import { appendFileSync, readFileSync, existsSync } from "node:fs";
const label = process.argv[2] ?? "unknown";
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const raw = Buffer.concat(chunks).toString("utf8");
let input; try { input = JSON.parse(raw); } catch { input = raw; }
const log = process.env.PROBE_LOG;
if (log) appendFileSync(log, JSON.stringify({ t: Date.now(), label, input }) + "\\n");
const rulesPath = process.env.PROBE_RULES;
const rules = rulesPath && existsSync(rulesPath) ? JSON.parse(readFileSync(rulesPath, "utf8")) : {};
for (const r of rules[label] ?? []) {
  if (r.when && !raw.includes(r.when)) continue;
  if (r.sleepMs) await new Promise((res) => setTimeout(res, r.sleepMs));
  if (r.stdout !== undefined) process.stdout.write(typeof r.stdout === "string" ? r.stdout : JSON.stringify(r.stdout));
  if (r.stderr !== undefined) process.stderr.write(r.stderr);
  if (log) appendFileSync(log, JSON.stringify({ t: Date.now(), label, action: r }) + "\\n");
  process.exit(r.exit ?? 0);
}
`;

const EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PostToolUse",
  "PostToolBatch",
  "Stop",
  "SessionEnd",
];

function writeProbePlugin(dir: string, asyncStopExtra: Record<string, unknown> = {}): void {
  mkdirSync(join(dir, ".claude-plugin"), { recursive: true });
  mkdirSync(join(dir, "hooks"), { recursive: true });
  writeFileSync(join(dir, ".claude-plugin", "plugin.json"), JSON.stringify({ name: "probe" }));
  writeFileSync(join(dir, "hooks", "log.mjs"), HOOK_SCRIPT);
  const hook = (label: string, extra: Record<string, unknown> = {}) => ({
    type: "command",
    command: process.execPath,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Claude Code placeholder, expanded by the CLI
    args: ["${CLAUDE_PLUGIN_ROOT}/hooks/log.mjs", label],
    ...extra,
  });
  const hooks: Record<string, unknown> = {};
  for (const e of EVENTS) {
    const list = [hook(e)];
    if (e === "Stop") list.push(hook("ASYNC_STOP", { asyncRewake: true, timeout: 30, ...asyncStopExtra }));
    hooks[e] = [{ ...(e.endsWith("ToolUse") ? { matcher: "*" } : {}), hooks: list }];
  }
  writeFileSync(join(dir, "hooks", "hooks.json"), JSON.stringify({ description: "probe", hooks }, null, 1));
}

interface HookLogLine {
  t: number;
  label: string;
  input?: Record<string, unknown>;
  action?: unknown;
}

// ---------------------------------------------------------------------------------------------
// scripted model turns
// ---------------------------------------------------------------------------------------------

const bg = (command: string, description: string) => ({
  type: "tool_use" as const,
  name: "Bash",
  input: { command, description, run_in_background: true },
});

const shells: Scenario = (req) => {
  if (req.kind !== "main") return text("OK.");
  if (assistantCount(req.body) === 0) {
    return {
      content: [
        bg("sleep 1; echo a", "job a"),
        bg("sleep 1.2; echo b", "job b"),
        bg("sleep 1.4; exit 3", "job c"),
      ],
    };
  }
  return lastToolResults(req.body).length ? text("Launched. Waiting.") : text("done.");
};

const midTurn: Scenario = (req) => {
  if (req.kind !== "main") return text("OK.");
  const n = assistantCount(req.body);
  if (n === 0) return { content: [bg("sleep 1; echo bg-done", "bg job")] };
  const tr = lastToolResults(req.body).length > 0;
  if (tr && n === 1) {
    return {
      content: [
        { type: "tool_use", name: "Bash", input: { command: "sleep 4; echo fg-done", description: "fg" } },
      ],
    };
  }
  return tr ? text("Turn finished.") : text("Noted.");
};

// ---------------------------------------------------------------------------------------------
// probes
// ---------------------------------------------------------------------------------------------

interface ProbeContext {
  requests: RecordedRequest[];
  a: RunAnalysis;
  run: RunClaudeResult;
  hooks: HookLogLine[];
  /** all request bodies as one string */
  bodies: string;
}

interface Probe {
  name: string;
  question: string;
  script: Scenario;
  tasks: number;
  rules?: Record<string, unknown[]>;
  asyncStopExtra?: Record<string, unknown>;
  /** close stdin right after the first turn's result (default: settle + idle) */
  closeEarly?: boolean;
  verdict: (c: ProbeContext) => string;
}

const wk = (a: RunAnalysis) => a.wakeUps.map((w) => w.wakeKind).join(",") || "none";
const has = (s: string, m: string) => (s.includes(m) ? "yes" : "NO");
const inTurnAfterFg = (a: RunAnalysis) =>
  a.infos.find((i) => i.trigger === "tool_result" && i.toolResultText.includes("fg-done"));

const PROBES: Probe[] = [
  {
    name: "native-shells",
    question: "a",
    script: shells,
    tasks: 3,
    verdict: ({ a, hooks }) => {
      const ids = hooks.filter((h) => h.label === "UserPromptSubmit").map((h) => h.input?.prompt_id);
      return `wake-ups=${a.wakeUps.length} (${wk(a)}); UPS prompt_ids distinct=${new Set(ids).size}/${ids.length}; first wake-up tail: ${JSON.stringify(a.wakeUps[0]?.contextText.slice(0, 60))}`;
    },
  },
  {
    name: "async-rewake",
    question: "a,e",
    script: shells,
    tasks: 3,
    rules: { ASYNC_STOP: [{ when: "Launched. Waiting.", sleepMs: 2500, stderr: "REWAKE-MARKER", exit: 2 }] },
    verdict: ({ a }) => {
      const w = a.wakeUps.find((x) => x.contextText.includes("REWAKE-MARKER"));
      return `rewake wake-up: ${w ? `kind=${w.wakeKind} text=${JSON.stringify(w.contextText.slice(w.contextText.indexOf("<task-notification>")))}` : "NONE"}`;
    },
  },
  {
    name: "async-rewake-fields",
    question: "e",
    script: shells,
    tasks: 3,
    asyncStopExtra: { rewakeSummary: "SUMMARY-MARKER", rewakeMessage: "MESSAGE-MARKER:" },
    rules: { ASYNC_STOP: [{ when: "Launched. Waiting.", sleepMs: 2500, stderr: "REWAKE-MARKER", exit: 2 }] },
    verdict: ({ a }) => {
      const w = a.wakeUps.find((x) => x.contextText.includes("REWAKE-MARKER"));
      return `summary replaced=${has(w?.contextText ?? "", "<summary>SUMMARY-MARKER</summary>")} message prefix replaced=${has(w?.contextText ?? "", "MESSAGE-MARKER: REWAKE-MARKER")}`;
    },
  },
  {
    name: "mid-turn-native",
    question: "b",
    script: midTurn,
    tasks: 1,
    verdict: ({ a, hooks, run }) => {
      const fg = inTurnAfterFg(a);
      const role = fg?.tail.find((m) => m.role === "system")?.role ?? "-";
      const done = run.events.find((e) => e.subtype === "task_updated") as
        | { patch?: { end_time?: number } }
        | undefined;
      const ups = hooks.find(
        (h) => h.label === "UserPromptSubmit" && String(h.input?.prompt).includes("<task-notification>"),
      );
      const fgPost = hooks.find(
        (h) => h.label === "PostToolUse" && JSON.stringify(h.input).includes("sleep 4"),
      );
      const end = done?.patch?.end_time;
      const first = hooks.find((h) => h.label === "UserPromptSubmit");
      const samePrompt = ups && first ? ups.input?.prompt_id === first.input?.prompt_id : undefined;
      return `notice UPS fired=${ups ? "yes" : "NO"} (prompt_id ${samePrompt ? "= the running turn's" : "new"}), ${ups && end ? `${ups.t - end} ms after the bg task ended` : "?"}, ${
        ups && fgPost ? `${ups.t - fgPost.t} ms after the fg PostToolUse` : "?"
      }; in-turn request carries task id=${fg && a.tasks[0] ? has(fg.contextText, a.tasks[0].id) : "?"} as a '${role}' message; wake-ups=${a.wakeUps.length}`;
    },
  },
  {
    name: "stop-additional-context",
    question: "c",
    script: shells,
    tasks: 3,
    rules: {
      Stop: [
        {
          when: "Launched. Waiting.",
          stdout: { hookSpecificOutput: { hookEventName: "Stop", additionalContext: "STOPCTX-MARKER" } },
        },
      ],
    },
    verdict: ({ a }) => {
      const w = a.wakeUps.find((x) => x.contextText.includes("STOPCTX-MARKER"));
      return `reaches model=${w ? "yes" : "NO"}${w ? ` as an extra model call (wake-up kind=${w.wakeKind}): ${JSON.stringify(w.contextText)}` : ""}`;
    },
  },
  {
    name: "stop-block",
    question: "c",
    script: shells,
    tasks: 3,
    rules: {
      Stop: [{ when: "Launched. Waiting.", stdout: { decision: "block", reason: "STOPBLOCK-MARKER" } }],
    },
    verdict: ({ a }) => {
      const w = a.wakeUps.find((x) => x.contextText.includes("STOPBLOCK-MARKER"));
      return `reaches model=${w ? "yes" : "NO"}${w ? ` (wake-up kind=${w.wakeKind}; ${w.tail.map((m) => m.role).join("+")} messages)` : ""}`;
    },
  },
  {
    name: "posttooluse-context",
    question: "c",
    script: midTurn,
    tasks: 1,
    rules: {
      PostToolUse: [
        {
          when: "sleep 4",
          stdout: {
            hookSpecificOutput: { hookEventName: "PostToolUse", additionalContext: "POSTCTX-MARKER" },
          },
        },
      ],
    },
    verdict: ({ a }) => {
      const fg = inTurnAfterFg(a);
      const sys = fg?.tail.find((m) => m.role === "system");
      return `in next request of same turn=${fg ? has(fg.contextText, "POSTCTX-MARKER") : "?"} (in a '${sys ? "system" : "?"}' message: ${JSON.stringify(fg?.contextText.slice(0, 70))}); wake-ups=${a.wakeUps.length}`;
    },
  },
  {
    name: "ups-block-notice",
    question: "d",
    script: shells,
    tasks: 3,
    rules: {
      UserPromptSubmit: [
        {
          when: "<task-notification>",
          stdout: {
            decision: "block",
            reason: "UPSBLOCK-MARKER",
            hookSpecificOutput: { hookEventName: "UserPromptSubmit", suppressOriginalPrompt: true },
          },
        },
      ],
    },
    verdict: ({ requests, a, bodies, run }) => {
      const info = run.events.filter(
        (e) => e.subtype === "informational" && JSON.stringify(e).includes("UPSBLOCK"),
      );
      return `model requests=${requests.filter((r) => r.kind === "main").length} (2 = launch + tool result only); wake-ups=${a.wakeUps.length}; reason in any request=${bodies.includes("UPSBLOCK-MARKER") ? "yes" : "no"}; reason shown to user (stream-json informational)=${info.length}x`;
    },
  },
  {
    name: "ups-block-mid-turn",
    question: "b,d",
    script: midTurn,
    tasks: 1,
    rules: {
      UserPromptSubmit: [
        { when: "<task-notification>", stdout: { decision: "block", reason: "UPSBLOCK-MARKER" } },
      ],
    },
    verdict: ({ a }) => {
      const fg = inTurnAfterFg(a);
      return `in-turn request still carries the notice=${fg && a.tasks[0] ? (fg.contextText.includes(a.tasks[0].id) ? "yes" : "no (erased)") : "?"}; wake-ups=${a.wakeUps.length}; delivered=${a.delivered.length}/1`;
    },
  },
  {
    name: "ups-context-mid-turn",
    question: "b",
    script: midTurn,
    tasks: 1,
    rules: {
      UserPromptSubmit: [
        {
          when: "<task-notification>",
          stdout: {
            hookSpecificOutput: { hookEventName: "UserPromptSubmit", additionalContext: "UPSCTX-MARKER" },
          },
        },
      ],
    },
    verdict: ({ a }) => {
      const fg = inTurnAfterFg(a);
      return `additionalContext in the in-turn request=${fg ? has(fg.contextText, "UPSCTX-MARKER") : "?"}; wake-ups=${a.wakeUps.length}`;
    },
  },
  {
    name: "ups-block+context-mid-turn",
    question: "b,d",
    script: midTurn,
    tasks: 1,
    rules: {
      UserPromptSubmit: [
        {
          when: "<task-notification>",
          stdout: {
            decision: "block",
            reason: "r",
            hookSpecificOutput: { hookEventName: "UserPromptSubmit", additionalContext: "UPSCTX-MARKER" },
          },
        },
      ],
    },
    verdict: ({ a, bodies }) =>
      `additionalContext survives a block=${bodies.includes("UPSCTX-MARKER") ? "yes" : "no"}; wake-ups=${a.wakeUps.length}`,
  },
  {
    name: "eof-running-background",
    question: "f",
    script: shells,
    tasks: 3,
    closeEarly: true,
    verdict: ({ a, run }) =>
      `stdin closed at ${run.stdinClosedAt} ms; exit after ${run.durationMs} ms; notices still delivered=${a.delivered.length}/3 (wake-ups=${a.wakeUps.length})`,
  },
  {
    name: "eof-pending-rewake",
    question: "f",
    script: shells,
    tasks: 3,
    closeEarly: true,
    rules: { ASYNC_STOP: [{ when: "Launched. Waiting.", sleepMs: 4000, stderr: "REWAKE-MARKER", exit: 2 }] },
    verdict: ({ a, run, hooks }) => {
      const act = hooks.find((h) => h.label === "ASYNC_STOP" && h.action);
      const end = hooks.find((h) => h.label === "SessionEnd");
      return `stdin closed at ${run.stdinClosedAt} ms; async hook exited 2 ${act && end ? `${end.t - act.t} ms before SessionEnd` : "?"}; CLI exit after ${run.durationMs} ms; rewake reached model=${a.wakeUps.some((w) => w.contextText.includes("REWAKE-MARKER")) ? "yes" : "NO"}`;
    },
  },
];

// ---------------------------------------------------------------------------------------------

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return hit === undefined ? undefined : hit.includes("=") ? hit.slice(hit.indexOf("=") + 1) : "true";
}

async function runProbe(bin: string, p: Probe, verbose: boolean, keep: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `bg-notify-probe-${p.name}-`));
  const plugin = join(dir, "plugin");
  writeProbePlugin(plugin, p.asyncStopExtra);
  const log = join(dir, "hooks.jsonl");
  const rules = join(dir, "rules.json");
  writeFileSync(rules, JSON.stringify(p.rules ?? {}));
  appendFileSync(log, "");
  const stub = new MessagesApiStub({ scenario: p.script, verbose });
  await stub.start();
  try {
    const run = await runClaude({
      claudeBin: bin,
      stub,
      label: `probe-${p.name}`,
      prompt: "run background jobs",
      allowedTools: ["Bash", "Read"],
      pluginDir: plugin,
      env: { PROBE_LOG: log, PROBE_RULES: rules },
      settled: p.closeEarly ? (l) => l.events.some((e) => e.type === "result") : backgroundSettled(p.tasks),
      idleMs: p.closeEarly ? 0 : 4000,
      timeoutMs: 60_000,
      keepTemp: keep,
    });
    const hooks = existsSync(log)
      ? readFileSync(log, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as HookLogLine)
      : [];
    const ctx: ProbeContext = {
      requests: stub.requests,
      a: analyzeRun(stub.requests),
      run,
      hooks,
      bodies: stub.requests.map((r) => r.rawBody).join("\n"),
    };
    return `[${p.question}] ${p.name}: ${p.verdict(ctx)}${run.exitCode === 0 ? "" : ` (CLI exit ${run.exitCode})`}`;
  } finally {
    await stub.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = arg("only")?.split(",");
  const verbose = arg("verbose") === "true";
  const keep = arg("keep") === "true";
  const concurrency = Number(arg("concurrency") ?? 2);
  const bin = ensureClaudeCli();
  const probes = PROBES.filter((p) => !only || only.includes(p.name));
  const results: string[] = new Array(probes.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < probes.length) {
        const i = next++;
        results[i] = await runProbe(bin, probes[i]!, verbose, keep).catch(
          (e) => `${probes[i]!.name}: ERROR ${e}`,
        );
        process.stderr.write(`${results[i]}\n`);
      }
    }),
  );
  process.stdout.write(`\n${results.join("\n")}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 2;
});
