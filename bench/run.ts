// `npm run bench`: how the shipped hooks compare with node's own start-up, what a burst of completions
// costs, whether a long history slows the hooks, how soon an idle parent is woken, and how many wake-ups
// the plugin saves. Prints one table and writes docs/PERFORMANCE.md. Ratios come from runs interleaved
// on the same machine, so a busy machine slows both sides of a ratio alike.
//
//   npm run bench                  # the full run (about 18 minutes on 2 cores)
//   npm run bench -- --quick       # fewer rounds, for a rough look; does not write the doc
//   npm run bench -- --no-write    # full run, print only
//   npm run bench -- --only=events,growth   # some sections (events, burst, growth, wake, saved,
//                                           # policies, launch, module); no doc
//   npm run bench -- --dist=DIR    # another build's bundles (DIR/hooks/*.js), e.g. an older one; no doc

import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseTaskNotification } from "../src/claude/task-notification.ts";
import { recordNotice } from "../src/claude/track-notices.ts";
import { noteRunningTurn } from "../src/claude/track-turns.ts";
import { claimBatches, recorderFor } from "../src/core/batching.ts";
import { DEFAULT_CONFIG } from "../src/core/config.ts";
import { createEmptyState, exceedsRetention, pruneState } from "../src/core/state.ts";
import type { BgState } from "../src/core/types.ts";
import { replay } from "../src/replay/engine.ts";
import { ensureClaudeCli } from "../test/e2e/claude-cli.ts";
import { assistantCount, MessagesApiStub } from "../test/e2e/messages-api-stub.ts";
import { runClaude } from "../test/e2e/run-claude.ts";
import { runNode } from "../test/spawn.ts";
import {
  type Command,
  concurrent,
  type DirSnapshot,
  median,
  type PairSeries,
  pairedRounds,
  peakRssKb,
  type RunResult,
  restoreDir,
} from "./measure.ts";
import {
  BLOCKS,
  burstRecording,
  type EventScenario,
  entryPaths,
  eventScenarios,
  hookEnv,
  type Input,
  loadFixture,
  noticePrompt,
  ROOT,
  spreadRecording,
  taskId,
  useDist,
  workspace,
} from "./scenarios.ts";

const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const ONLY = argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const DIST = argv.find((a) => a.startsWith("--dist="))?.slice("--dist=".length);
if (DIST) useDist(DIST);
const WRITE = !QUICK && !ONLY && !DIST && !argv.includes("--no-write");
/** Sections: events, burst, growth, wake, saved, policies, launch, module. */
const wanted = (section: string) => !ONLY || ONLY.includes(section);
const ROUNDS = QUICK ? 7 : 40;
const GROWTH_ROUNDS = QUICK ? 7 : 80;
const TSX_ROUNDS = QUICK ? 2 : 3;
const BURST_ROUNDS = QUICK ? 1 : 3;
const BURST_SIZE = 100;
const HISTORY = 10_000;
const WAKE_TRIALS = QUICK ? 1 : 3;
const WINDOW_MS = DEFAULT_CONFIG.batchWindowMs;

// A working hook may cost what safety costs (issue 31: the lock the design names, links never followed).
const GOALS = { hook: 1.25, fast: 0.1, burst: 1.5, growth: 1.05, wakeSlackMs: 150, launchTurn: 1.05 };

interface Row {
  measure: string;
  result: string;
  goal: string;
  ok: boolean | undefined;
  detail: string;
}

const fmtMs = (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const fmtX = (x: number) => `${x.toFixed(2)}×`;
const fmtMb = (kb: number | undefined) => (kb === undefined ? "n/a" : `${(kb / 1024).toFixed(1)} MB`);
const fmtKb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Problems a hook run shows: a crash, an unexpected exit code, a line on stderr where none is due. */
function hookCheck(expectStatus: 0 | 2, expectStdout?: RegExp) {
  return (run: RunResult): string | undefined => {
    if (run.status !== expectStatus) return `exit ${run.status}: ${run.stderr.trim().slice(0, 160)}`;
    if (expectStatus === 0 && run.stderr.trim()) return `stderr: ${run.stderr.trim().slice(0, 160)}`;
    if (expectStdout && !expectStdout.test(run.stdout))
      return `unexpected stdout: ${run.stdout.slice(0, 160)}${run.stderr.trim() ? ` (stderr: ${run.stderr.trim().slice(0, 160)})` : ""}`;
    return undefined;
  };
}

interface EventFigures {
  label: string;
  fast: boolean;
  /** Through the launcher, as hooks.json runs it. */
  shippedMs: number;
  shippedRatio: number;
  /** The bundle alone (`node dist/hooks/<event>.js`). */
  distMs: number;
  ratio: number;
  tsxMs: number;
  tsxRatio: number;
  rssKb: number | undefined;
  tsxRssKb: number | undefined;
  problems: string[];
}

interface HookFigures {
  baselineMs: number;
  noiseRatio: number;
  baselineRssKb: number | undefined;
  events: EventFigures[];
  distBytes: number;
}

function hookEvents(tmp: string): HookFigures {
  const ws = workspace(tmp, "events");
  const scenarios = eventScenarios(workspace(tmp, "prep"));
  const baseline: Command = { label: "node -e 0", args: ["-e", "0"] };
  const baseline2: Command = { label: "node -e 0 (again)", args: ["-e", "0"] };
  // The launcher keeps the node it found in the plugin's data directory, as under Claude Code.
  const pluginData = join(tmp, "plugin-data");
  const commandFor = (sc: EventScenario, variant: "shipped" | "dist" | "tsx"): Command => {
    const paths = entryPaths(sc.script);
    return {
      label: sc.label,
      ...(variant === "shipped" ? { program: "sh" } : {}),
      args:
        variant === "shipped"
          ? [join(ROOT, "hooks", "run"), sc.script.replace(/\.js$/, "")]
          : variant === "dist"
            ? [paths.dist]
            : ["--import", "tsx", paths.src],
      cwd: ROOT,
      input: JSON.stringify(sc.input),
      env: hookEnv(ws, { ...sc.env, ...(variant === "shipped" ? { CLAUDE_PLUGIN_DATA: pluginData } : {}) }),
      before: () => restoreDir(ws.stateDir, sc.state),
      check: hookCheck(sc.status ?? 0, sc.stdout),
    };
  };
  log(
    `hook events: ${scenarios.length} events, each paired with node -e 0, ${ROUNDS} rounds (shipped bundles)`,
  );
  const distPairs: [Command, Command][] = [
    [baseline, baseline2],
    ...scenarios.map((sc): [Command, Command] => [baseline, commandFor(sc, "shipped")]),
    ...scenarios.map((sc): [Command, Command] => [baseline, commandFor(sc, "dist")]),
  ];
  const dist = pairedRounds(distPairs, ROUNDS, 7);
  log(`hook events: the same handlers through tsx, ${TSX_ROUNDS} rounds`);
  const tsx = pairedRounds(
    scenarios.map((sc): [Command, Command] => [baseline, commandFor(sc, "tsx")]),
    TSX_ROUNDS,
    11,
  );
  log("hook events: peak RSS");
  const rss = (c: Command, n: number) =>
    median(Array.from({ length: n }, () => peakRssKb(c, tmp) ?? Number.NaN));
  const events = scenarios.map((sc, i): EventFigures => {
    const shipped = dist[i + 1] as PairSeries;
    const d = dist[i + 1 + scenarios.length] as PairSeries;
    const t = tsx[i] as PairSeries;
    return {
      label: sc.label,
      fast: sc.fast === true,
      shippedMs: median(shipped.times),
      shippedRatio: median(shipped.ratios),
      distMs: median(d.times),
      ratio: median(d.ratios),
      tsxMs: median(t.times),
      tsxRatio: median(t.ratios),
      rssKb: rss(commandFor(sc, "dist"), 3),
      tsxRssKb: rss(commandFor(sc, "tsx"), 1),
      problems: [
        ...shipped.problems,
        ...d.problems.map((p) => `bundle: ${p}`),
        ...t.problems.map((p) => `tsx: ${p}`),
      ],
    };
  });
  const distBytes = statSync(entryPaths("user-prompt-submit.js").dist).size;
  return {
    baselineMs: median(dist.flatMap((d) => d.baseTimes)),
    noiseRatio: median((dist[0] as PairSeries).ratios),
    baselineRssKb: rss(baseline, 3),
    events,
    distBytes,
  };
}

interface BurstFigures {
  hookMs: number;
  baselineMs: number;
  ratio: number;
  lost: number;
  duplicated: number;
  notBlocked: number;
  failed: number;
  stateBytes: number;
}

async function burst(tmp: string): Promise<BurstFigures> {
  const ws = workspace(tmp, "burst");
  const shells = loadFixture("three-background-shells.jsonl");
  const base = (shells[10] as { input: Input }).input;
  const sessionId = String(base["session_id"]);
  const script = entryPaths("user-prompt-submit.js").dist;
  const hookTimes: number[] = [];
  const baseTimes: number[] = [];
  let lost = 0;
  let duplicated = 0;
  let notBlocked = 0;
  let failed = 0;
  let stateBytes = 0;
  log(
    `burst: ${BURST_SIZE} concurrent completion hooks vs ${BURST_SIZE} concurrent node -e 0, ${BURST_ROUNDS} rounds`,
  );
  for (let round = 0; round < BURST_ROUNDS; round++) {
    const runBaseline = async () => {
      baseTimes.push((await concurrent(BURST_SIZE, () => ({ label: "node -e 0", args: ["-e", "0"] }))).ms);
    };
    const runHooks = async () => {
      restoreDir(ws.stateDir, new Map());
      const env = hookEnv(ws);
      const { ms, runs } = await concurrent(BURST_SIZE, (i) => ({
        label: "notice",
        args: [script],
        input: JSON.stringify({ ...base, prompt: noticePrompt(taskId(i)) }),
        env,
      }));
      hookTimes.push(ms);
      failed += runs.filter((r) => r.status !== 0 || r.stderr.trim() !== "").length;
      notBlocked += runs.filter((r) => !BLOCKS.test(r.stdout)).length;
      const statePath = join(ws.stateDir, "state.json");
      stateBytes = statSync(statePath).size;
      const state = JSON.parse(readFileSync(statePath, "utf8")) as BgState;
      const ids = state.batches
        .filter((b) => b.parentSessionId === sessionId)
        .flatMap((b) => b.items.map((item) => item.task.id));
      const distinct = new Set(ids);
      for (let i = 0; i < BURST_SIZE; i++) if (!distinct.has(taskId(i))) lost++;
      duplicated += ids.length - distinct.size;
    };
    // Alternate which goes first, so neither always meets a warmer or a colder machine.
    if (round % 2 === 0) {
      await runBaseline();
      await runHooks();
    } else {
      await runHooks();
      await runBaseline();
    }
  }
  const hookMs = median(hookTimes);
  const baselineMs = median(baseTimes);
  return { hookMs, baselineMs, ratio: hookMs / baselineMs, lost, duplicated, notBlocked, failed, stateBytes };
}

interface GrowthFigures {
  rows: { label: string; emptyMs: number; historyMs: number; ratio: number; problems: string[] }[];
  boundedBytes: number;
  unboundedBytes: number;
  counts: { tasks: number; batches: number; ledger: number };
}

/**
 * A session's history of `count` delivered completions, built with the same pure updates the hooks
 * run in their transactions (recordNotice; claimBatches as the rewake claims a full batch; the
 * retention check hook-context.ts applies to every change), one completion every 50 ms of clock.
 */
function historyState(count: number, sessionId: string, start: number, bounded: boolean): BgState {
  const state = createEmptyState(start);
  const limits = { batchWindowMs: DEFAULT_CONFIG.batchWindowMs, maxBatchSize: DEFAULT_CONFIG.maxBatchSize };
  let now = start;
  const retain = () => {
    if (bounded && exceedsRetention(state)) pruneState(state, now, DEFAULT_CONFIG);
  };
  for (let i = 0; i < count; i++) {
    now += 50;
    const notice = parseTaskNotification(noticePrompt(`h${i.toString(36).padStart(8, "0")}`));
    if (!notice) throw new Error("synthetic notice did not parse");
    const outcome = recordNotice(state, sessionId, notice, now, recorderFor(state, now, limits));
    retain();
    if (outcome.kind === "queued" && outcome.batchFull) {
      claimBatches(state, now, limits, {
        parentSessionId: sessionId,
        force: false,
        via: "rewake",
        by: "bench",
      });
      retain();
    }
  }
  claimBatches(state, now, limits, { parentSessionId: sessionId, force: true, via: "rewake", by: "bench" });
  retain();
  // The last wake-up's echo started its turn (UserPromptSubmit notes it), as in a real session.
  noteRunningTurn(state, sessionId, "bench-echo", now + 1);
  state.updatedAt = now;
  return state;
}

function growth(tmp: string): GrowthFigures {
  const ws = workspace(tmp, "growth");
  const shells = loadFixture("three-background-shells.jsonl");
  const typed = (shells[1] as { input: Input }).input;
  const notice = (shells[10] as { input: Input }).input;
  const sessionId = String(typed["session_id"]);
  log(`growth: building ${HISTORY} delivered completions of history`);
  const start = Date.now() - HISTORY * 50 - 1000;
  const bounded = historyState(HISTORY, sessionId, start, true);
  const unbounded = historyState(HISTORY, sessionId, start, false);
  const boundedText = JSON.stringify(bounded);
  const empty: DirSnapshot = new Map();
  const history: DirSnapshot = new Map([["state.json", Buffer.from(boundedText)]]);
  const script = entryPaths("user-prompt-submit.js").dist;
  const make = (label: string, input: Input, state: DirSnapshot, stdout?: RegExp): Command => ({
    label,
    args: [script],
    input: JSON.stringify(input),
    env: hookEnv(ws),
    before: () => restoreDir(ws.stateDir, state),
    check: hookCheck(0, stdout),
  });
  const pairs: [string, Input, RegExp | undefined][] = [
    ["UserPromptSubmit: typed prompt", typed, undefined],
    ["UserPromptSubmit: completion notice", notice, BLOCKS],
  ];
  const commands = pairs.map(([label, input, stdout]): [Command, Command] => [
    make(`${label} (empty)`, input, empty, stdout),
    make(`${label} (history)`, input, history, stdout),
  ]);
  log(`growth: ${commands.length} pairs (empty state, history), ${GROWTH_ROUNDS} rounds`);
  const series = pairedRounds(commands, GROWTH_ROUNDS, 13);
  const rows = pairs.map(([label], i) => {
    const pair = series[i] as PairSeries;
    return {
      label,
      emptyMs: median(pair.baseTimes),
      historyMs: median(pair.times),
      ratio: median(pair.ratios),
      problems: pair.problems,
    };
  });
  return {
    rows,
    boundedBytes: boundedText.length,
    unboundedBytes: JSON.stringify(unbounded).length,
    counts: {
      tasks: Object.keys(bounded.tasks).length,
      batches: bounded.batches.length,
      ledger: Object.keys(bounded.ledger).length,
    },
  };
}

interface WakeFigures {
  windowMs: number;
  latencies: number[];
  /** From the first notice's hooks starting to the batch being opened (the first hook recording it). */
  opened: number[];
  wakes: number[];
  complete: boolean;
}

function spawnHook(script: string, input: Input, env: NodeJS.ProcessEnv, t0: bigint): Promise<RunResult> {
  return runNode([script], { env, input: JSON.stringify(input) }).then((run) => ({
    ms: Number(process.hrtime.bigint() - t0) / 1e6,
    status: run.code,
    stdout: run.stdout,
    stderr: run.stderr,
  }));
}

/**
 * Three completions 150 ms apart reach an idle parent: each fires both UserPromptSubmit hooks at once,
 * as Claude Code does. The latency is from the first notice to the exit 2 of the rewake that wakes it.
 */
async function wakeLatency(tmp: string): Promise<WakeFigures> {
  const ws = workspace(tmp, "wake");
  const shells = loadFixture("three-background-shells.jsonl");
  const base = (shells[10] as { input: Input }).input;
  const sync = entryPaths("user-prompt-submit.js").dist;
  const rewake = entryPaths("rewake.js").dist;
  const latencies: number[] = [];
  const opened: number[] = [];
  const wakes: number[] = [];
  let complete = true;
  log(`idle wake latency: ${WAKE_TRIALS} trials, window ${WINDOW_MS} ms`);
  for (let trial = 0; trial < WAKE_TRIALS; trial++) {
    restoreDir(ws.stateDir, new Map());
    const env = hookEnv(ws, { BG_NOTIFY_BATCH_WINDOW_MS: String(WINDOW_MS) });
    const t0 = process.hrtime.bigint();
    const t0Epoch = Date.now();
    const runs: Promise<RunResult>[] = [];
    const ids = [0, 1, 2].map((i) => `w${trial}x${taskId(i)}`);
    for (const [i, id] of ids.entries()) {
      const due = Number(t0) / 1e6 + i * 150;
      const wait = due - Number(process.hrtime.bigint()) / 1e6;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const input = { ...base, prompt: noticePrompt(id) };
      runs.push(spawnHook(sync, input, env, t0), spawnHook(rewake, input, env, t0));
    }
    const done = await Promise.all(runs);
    const woke = done.filter((r) => r.status === 2);
    wakes.push(woke.length);
    const first = woke.sort((x, y) => x.ms - y.ms)[0];
    if (first) latencies.push(first.ms);
    const delivered = woke.map((r) => r.stderr).join("\n");
    if (!ids.every((id) => delivered.includes(id))) complete = false;
    const state = JSON.parse(readFileSync(join(ws.stateDir, "state.json"), "utf8")) as BgState;
    const batch = state.batches.find((b) => b.items.some((item) => item.task.id === ids[0]));
    if (batch) opened.push(batch.openedAt - t0Epoch);
  }
  return { windowMs: WINDOW_MS, latencies, opened, wakes, complete };
}

interface SavedFigures {
  rows: {
    completions: number;
    native: number;
    plugin: number;
    pluginWakeUps: number;
    passed: number;
    delivered: number;
    handlerErrors: number;
  }[];
}

interface PolicyFigures {
  rows: {
    session: string;
    native: number;
    byPolicy: Record<string, number>;
    delivered: Record<string, string>;
  }[];
}

const POLICIES: Record<string, Record<string, string>> = {
  "window (default)": {},
  waitForSiblings: { BG_NOTIFY_WAIT_FOR_SIBLINGS: "1" },
  "waitForSiblings, no wakeOnFailure": { BG_NOTIFY_WAIT_FOR_SIBLINGS: "1", BG_NOTIFY_WAKE_ON_FAILURE: "0" },
  defer: { BG_NOTIFY_POLICY: "defer" },
  "wakeBudget 1 per 2 min": { BG_NOTIFY_WAKE_BUDGET: "1/2" },
};

const SPREAD_SESSIONS: { session: string; ends: number[]; failing?: number }[] = [
  { session: "4 shards ending 2, 9, 17, 25 s", ends: [2, 9, 17, 25] },
  { session: "the same, the 9 s one failing", ends: [2, 9, 17, 25], failing: 1 },
  { session: "3 test suites ending 30, 45, 60 s", ends: [30, 45, 60] },
  { session: "6 builds ending every 4 s", ends: [4, 8, 12, 16, 20, 24] },
];

/** Wake-ups of each policy on synthetic spread-out sessions, replayed on the virtual clock. */
async function policies(tmp: string): Promise<PolicyFigures> {
  const rows: PolicyFigures["rows"] = [];
  for (const [n, spread] of SPREAD_SESSIONS.entries()) {
    const byPolicy: Record<string, number> = {};
    const delivered: Record<string, string> = {};
    let native = 0;
    for (const [name, env] of Object.entries(POLICIES)) {
      log(`policies: ${spread.session}, ${name}`);
      const ws = workspace(tmp, `policy-${n}-${Object.keys(byPolicy).length}`);
      restoreDir(ws.stateDir, new Map());
      const recording = spreadRecording(
        spread.ends,
        `5b7ead00-0000-4000-8000-${String(n).padStart(12, "0")}`,
        spread.failing,
      );
      const report = await replay(recording, {
        pluginRoot: ROOT,
        stateDir: ws.stateDir,
        projectDir: ws.project,
        env: hookEnv(ws, env),
        clock: "virtual",
      });
      native = report.notices;
      byPolicy[name] = report.pluginWakeUps + report.nativeWakeUps;
      const text = report.deliveries.map((d) => d.text).join("\n");
      const told = spread.ends.map((_, i) => taskId(i)).filter((id) => text.includes(id)).length;
      delivered[name] = `${told}/${spread.ends.length}`;
    }
    rows.push({ session: spread.session, native, byPolicy, delivered });
  }
  return { rows };
}

interface LaunchTurnFigures {
  nativeMs: number[];
  /** bg-notify as Claude Code loads it: the hooks module holds, the command hooks stand down. */
  pluginMs: number[];
  /** bg-notify with `BG_NOTIFY_LAYER=hooks`: the command hooks hold (a Claude Code without modules). */
  hooksMs: number[];
  /** bg-notify's hooks module with no command hooks beside it: the module's own share. */
  moduleAloneMs: number[];
  /** A plugin whose only hook is a no-op (`true`) on every Bash call's PostToolUse, async like bg-notify's. */
  floorMs: number[];
  /** The same no-op declared on PostToolBatch instead (matcher Bash): once per batch of calls. */
  batchFloorMs: number[];
  /** Medians of the per-round ratios (each round runs every arm back to back): plugin ÷ native, … */
  ratio: number;
  hooksRatio: number;
  moduleAloneRatio: number;
  floorRatio: number;
  floorNativeRatio: number;
  batchFloorNativeRatio: number;
  /** Rounds in which every arm completed: the pairs the ratios are taken over. */
  pairedRounds: number;
  problems: string[];
}

/** bg-notify's hooks module as shipped, without the command hooks it carries beside it. */
function moduleAlonePlugin(tmp: string): string {
  const dir = join(tmp, "module-alone-plugin");
  mkdirSync(join(dir, "hooks"), { recursive: true });
  cpSync(join(ROOT, ".claude-plugin"), join(dir, ".claude-plugin"), { recursive: true });
  cpSync(join(ROOT, "hooks", "register.js"), join(dir, "hooks", "register.js"));
  writeFileSync(join(dir, "hooks", "hooks.json"), JSON.stringify({ modules: ["./register.js"] }));
  return dir;
}

/**
 * The floor: what Claude Code itself spends running any hook on every Bash call of the turn
 * (`PostToolUse`), or once per batch of calls (`PostToolBatch`, the alternative bg-notify does not take).
 */
function noOpHookPlugin(tmp: string, event: "PostToolUse" | "PostToolBatch"): string {
  const dir = join(tmp, `no-op-${event}-plugin`);
  mkdirSync(join(dir, ".claude-plugin"), { recursive: true });
  mkdirSync(join(dir, "hooks"), { recursive: true });
  writeFileSync(join(dir, ".claude-plugin", "plugin.json"), JSON.stringify({ name: "no-op-hook" }));
  const hook = { type: "command", command: "true", async: true };
  writeFileSync(
    join(dir, "hooks", "hooks.json"),
    JSON.stringify({ hooks: { [event]: [{ matcher: "Bash", hooks: [hook] }] } }),
  );
  return dir;
}

const LAUNCH_SHELLS = 20;
const LAUNCH_ROUNDS = QUICK ? 2 : 20;

/**
 * The turn that launches 20 background shells, through the real CLI (the e2e suite's pinned copy and
 * loopback stand-in): from the request that asks for the 20 calls to the request that carries their
 * 20 results, i.e. the tool calls and every hook Claude Code runs around them. A round runs every arm
 * once, back to back, in a rotating order; each ratio is the median of the rounds' own ratios, so that
 * the machine's drift between rounds (the medians of 12 moved by up to 25 % from run to run) cancels.
 */
async function launchTurn(tmp: string): Promise<LaunchTurnFigures> {
  const claudeBin = ensureClaudeCli({ quiet: true });
  const arms = {
    native: undefined,
    plugin: ROOT,
    hooks: ROOT,
    moduleAlone: moduleAlonePlugin(tmp),
    floor: noOpHookPlugin(tmp, "PostToolUse"),
    batchFloor: noOpHookPlugin(tmp, "PostToolBatch"),
  };
  type Arm = keyof typeof arms;
  const times: Record<Arm, number[]> = {
    native: [],
    plugin: [],
    hooks: [],
    moduleAlone: [],
    floor: [],
    batchFloor: [],
  };
  const problems: string[] = [];
  const one = async (arm: Arm): Promise<number | undefined> => {
    const pluginDir = arms[arm];
    const stub = new MessagesApiStub({
      scenario: (req) => {
        if (req.kind !== "main") return { content: [{ type: "text", text: "OK." }] };
        if (assistantCount(req.body) === 0)
          return {
            content: Array.from({ length: LAUNCH_SHELLS }, (_, i) => ({
              type: "tool_use" as const,
              name: "Bash",
              // Long enough to outlast the measured turn; short, so that the CLI exits soon after.
              input: { command: `sleep 3; echo ${i}`, description: `job ${i}`, run_in_background: true },
            })),
          };
        return { content: [{ type: "text", text: "Launched." }] };
      },
    });
    await stub.start();
    try {
      const seen = () => stub.requests.filter((r) => r.kind === "main").length >= 2;
      const run = await runClaude({
        claudeBin,
        stub,
        prompt: "launch twenty jobs",
        allowedTools: ["Bash"],
        ...(pluginDir ? { pluginDir } : {}),
        ...(arm === "hooks" ? { env: { BG_NOTIFY_LAYER: "hooks" } } : {}),
        closeWhen: () => seen(),
        timeoutMs: 60_000,
        label: `launch-${arm}`,
      });
      const main = stub.requests.filter((r) => r.kind === "main");
      const [ask, results] = main;
      if (!ask || !results) {
        problems.push(`${arm}: the launch turn did not complete (exit ${run.exitCode})`);
        return undefined;
      }
      return results.at - ask.at;
    } finally {
      await stub.stop();
    }
  };
  log(
    `launch turn: ${LAUNCH_SHELLS} background shells, native vs plugin (module, command hooks) vs a no-op hook (PostToolUse, PostToolBatch), ${LAUNCH_ROUNDS} rounds each (real CLI)`,
  );
  const order: Arm[] = ["native", "plugin", "hooks", "moduleAlone", "floor", "batchFloor"];
  const rounds: Record<Arm, number>[] = [];
  for (let round = 0; round < LAUNCH_ROUNDS; round++) {
    // Each arm goes first, second, third and last in turn.
    const turn = order.map((_, i) => order[(i + round) % order.length] as Arm);
    const got: Partial<Record<Arm, number>> = {};
    for (const arm of turn) {
      const ms = await one(arm);
      if (ms === undefined) continue;
      times[arm].push(ms);
      got[arm] = ms;
    }
    if (order.every((arm) => got[arm] !== undefined)) rounds.push(got as Record<Arm, number>);
  }
  const ratioOf = (a: Arm, b: Arm) => median(rounds.map((r) => r[a] / r[b]));
  return {
    nativeMs: times.native,
    pluginMs: times.plugin,
    hooksMs: times.hooks,
    moduleAloneMs: times.moduleAlone,
    floorMs: times.floor,
    batchFloorMs: times.batchFloor,
    ratio: ratioOf("plugin", "native"),
    hooksRatio: ratioOf("hooks", "native"),
    moduleAloneRatio: ratioOf("moduleAlone", "native"),
    floorRatio: ratioOf("plugin", "floor"),
    floorNativeRatio: ratioOf("floor", "native"),
    batchFloorNativeRatio: ratioOf("batchFloor", "native"),
    pairedRounds: rounds.length,
    problems,
  };
}

interface ModuleFigures {
  /** Per engine event: every dispatch time of bg-notify's hooks module, from Claude Code's debug log. */
  byEvent: Record<string, number[]>;
  sessions: number;
  /** Model requests per session (the launch, its results, one wake-up), natively 5. */
  requests: number[];
  problems: string[];
}

const MODULE_SESSIONS = QUICK ? 2 : 8;
const DISPATCH_LINE = /hooks module bg-notify@\S+ (\S+) settled in ([\d.]+)ms/;

/**
 * What the hooks module costs per event, inside the real CLI: three shells that end within 0.4 s at the
 * idle prompt, each notice held and one wake-up sent, with Claude Code's debug log (`--debug-file`),
 * which times every dispatch of a module's hook ("settled in N ms", the worker hop and `next` included).
 */
async function moduleDispatch(tmp: string): Promise<ModuleFigures> {
  const claudeBin = ensureClaudeCli({ quiet: true });
  const byEvent: Record<string, number[]> = {};
  const requests: number[] = [];
  const problems: string[] = [];
  log(
    `hooks module: ${MODULE_SESSIONS} sessions of three shells ending at once, dispatch times from the debug log`,
  );
  for (let i = 0; i < MODULE_SESSIONS; i++) {
    const stub = new MessagesApiStub({
      scenario: (req) => {
        if (req.kind !== "main") return { content: [{ type: "text", text: "OK." }] };
        if (assistantCount(req.body) === 0)
          return {
            content: [0, 1, 2].map((n) => ({
              type: "tool_use" as const,
              name: "Bash",
              input: {
                command: `sleep ${1 + n * 0.2}; echo ${n}`,
                description: `job ${n}`,
                run_in_background: true,
              },
            })),
          };
        return { content: [{ type: "text", text: "Noted." }] };
      },
    });
    await stub.start();
    const debug = join(tmp, `module-${i}.log`);
    try {
      const run = await runClaude({
        claudeBin,
        stub,
        prompt: "run three jobs",
        allowedTools: ["Bash"],
        pluginDir: ROOT,
        extraArgs: ["--debug-file", debug],
        settled: () => stub.requests.filter((r) => r.kind === "main").length >= 3,
        idleMs: 2500,
        timeoutMs: 60_000,
        label: `module-${i}`,
      });
      if (run.exitCode !== 0) problems.push(`session ${i}: exit ${run.exitCode}`);
      requests.push(stub.requests.filter((r) => r.kind === "main").length);
      const text = existsSync(debug) ? readFileSync(debug, "utf8") : "";
      if (!/hooks module bg-notify@\S+ loaded/.test(text))
        problems.push(`session ${i}: the module did not load`);
      for (const line of text.split("\n")) {
        const m = DISPATCH_LINE.exec(line);
        if (!m?.[1] || !m[2]) continue;
        byEvent[m[1]] ??= [];
        byEvent[m[1]]?.push(Number(m[2]));
      }
    } finally {
      await stub.stop();
    }
  }
  return { byEvent, sessions: MODULE_SESSIONS, requests, problems };
}

async function wakeUpsSaved(tmp: string): Promise<SavedFigures> {
  const rows: SavedFigures["rows"] = [];
  for (const count of [3, 7, 20]) {
    log(`wake-ups saved: ${count} completions 150 ms apart, replayed through the shipped hooks`);
    const ws = workspace(tmp, `saved-${count}`);
    restoreDir(ws.stateDir, new Map());
    const recording = burstRecording(
      count,
      150,
      `5a7ed000-0000-4000-8000-${String(count).padStart(12, "0")}`,
    );
    const report = await replay(recording, {
      pluginRoot: ROOT,
      stateDir: ws.stateDir,
      projectDir: ws.project,
      env: hookEnv(ws),
      speed: 1,
      clock: "real",
    });
    const text = report.deliveries.map((d) => d.text).join("\n");
    const delivered = Array.from({ length: count }, (_, i) => taskId(i)).filter((id) =>
      text.includes(id),
    ).length;
    rows.push({
      completions: count,
      native: report.notices,
      plugin: report.pluginWakeUps + report.nativeWakeUps,
      pluginWakeUps: report.pluginWakeUps,
      passed: report.nativeWakeUps,
      delivered,
      handlerErrors: report.handlerErrors,
    });
  }
  return { rows };
}

function table(rows: readonly Row[]): string {
  const header = ["Measure", "Result", "Goal", "", "Detail"];
  const cells = rows.map((r) => [
    r.measure,
    r.result,
    r.goal,
    r.ok === undefined ? "" : r.ok ? "ok" : "MISS",
    r.detail,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

function markdownTable(header: string[], rows: string[][]): string {
  const esc = (v: string) => v.replaceAll("|", "\\|");
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}

async function main(): Promise<void> {
  for (const script of ["user-prompt-submit.js", "rewake.js"]) {
    if (!existsSync(entryPaths(script).dist))
      throw new Error(`dist/hooks/${script} is missing: run npm run build first`);
  }
  const tmp = mkdtempSync(join(tmpdir(), "bg-notify-bench-"));
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  try {
    mkdirSync(tmp, { recursive: true });
    const hooks = wanted("events") ? hookEvents(tmp) : undefined;
    const b = wanted("burst") ? await burst(tmp) : undefined;
    const g = wanted("growth") ? growth(tmp) : undefined;
    const w = wanted("wake") ? await wakeLatency(tmp) : undefined;
    const s = wanted("saved") ? await wakeUpsSaved(tmp) : undefined;
    const p = wanted("policies") ? await policies(tmp) : undefined;
    const l = wanted("launch") ? await launchTurn(tmp) : undefined;
    const m = wanted("module") ? await moduleDispatch(tmp) : undefined;
    const seconds = (Date.now() - started) / 1000;
    const loadAfter = loadavg()[0] ?? 0;

    const rows: Row[] = [];
    if (hooks) {
      rows.push({
        measure: "node -e 0 (baseline)",
        result: fmtMs(hooks.baselineMs),
        goal: "",
        ok: undefined,
        detail: `a 2nd baseline series: ${fmtX(hooks.noiseRatio)} (noise); RSS ${fmtMb(hooks.baselineRssKb)}`,
      });
      for (const e of hooks.events) {
        const goal = e.fast ? GOALS.fast : GOALS.hook;
        rows.push({
          measure: `hook: ${e.label}`,
          result: fmtX(e.shippedRatio),
          goal: `≤ ${goal.toFixed(2)}`,
          ok: e.shippedRatio <= goal && e.problems.length === 0,
          detail:
            `${fmtMs(e.shippedMs)}; bundle alone ${fmtX(e.ratio)} (${fmtMs(e.distMs)}); tsx ${fmtX(e.tsxRatio)}; RSS ${fmtMb(e.rssKb)}` +
            (e.problems.length ? `; PROBLEMS: ${e.problems.join(" / ")}` : ""),
        });
      }
    }
    if (b) {
      rows.push({
        measure: `burst: ${BURST_SIZE} concurrent notices, one parent`,
        result: fmtX(b.ratio),
        goal: `≤ ${GOALS.burst.toFixed(2)}, 0 lost, 0 dup`,
        ok:
          b.ratio <= GOALS.burst &&
          b.lost === 0 &&
          b.duplicated === 0 &&
          b.failed === 0 &&
          b.notBlocked === 0,
        detail: `${fmtMs(b.hookMs)} vs ${fmtMs(b.baselineMs)}; lost ${b.lost}, duplicated ${b.duplicated}, not blocked ${b.notBlocked}, failed ${b.failed}`,
      });
    }
    if (g) {
      for (const r of g.rows) {
        rows.push({
          measure: `growth: ${r.label}, ${HISTORY} delivered`,
          result: fmtX(r.ratio),
          goal: `≤ ${GOALS.growth.toFixed(2)}`,
          ok: r.ratio <= GOALS.growth && r.problems.length === 0,
          detail:
            `${fmtMs(r.historyMs)} vs ${fmtMs(r.emptyMs)} empty` +
            (r.problems.length ? `; PROBLEMS: ${r.problems.join(" / ")}` : ""),
        });
      }
      rows.push({
        measure: `growth: state.json after ${HISTORY} delivered`,
        result: fmtKb(g.boundedBytes),
        goal: "bounded",
        ok: g.boundedBytes < 256 * 1024,
        detail: `${g.counts.tasks} tasks, ${g.counts.batches} batches, ${g.counts.ledger} ledger keys; without pruning on the hot path: ${fmtKb(g.unboundedBytes)}`,
      });
    }
    if (w) {
      const wakeMs = median(w.latencies);
      rows.push({
        measure: "idle wake: first completion → rewake",
        result: fmtMs(wakeMs),
        goal: `≤ ${w.windowMs + GOALS.wakeSlackMs} ms`,
        ok: wakeMs <= w.windowMs + GOALS.wakeSlackMs && w.complete && w.wakes.every((n) => n === 1),
        detail: `window ${w.windowMs} ms, opened ${median(w.opened).toFixed(0)} ms after the first notice; trials ${w.latencies.map((l) => l.toFixed(0)).join(", ")} ms; wake-ups per trial ${w.wakes.join(", ")}; all 3 delivered: ${w.complete ? "yes" : "NO"}`,
      });
    }
    for (const r of s?.rows ?? []) {
      rows.push({
        measure: `wake-ups: ${r.completions} completions`,
        result: `${r.native} → ${r.plugin}`,
        goal: "fewer",
        // A notice let through (a wake-up on its way) is told by Claude Code, in no hook's text.
        ok: r.plugin < r.native && r.delivered + r.passed === r.completions && r.handlerErrors === 0,
        detail: `${r.pluginWakeUps} rewake(s), ${r.passed} notice(s) passed (told by Claude Code); ${r.delivered}/${r.completions} delivered by hooks; handler errors ${r.handlerErrors}`,
      });
    }

    for (const r of p?.rows ?? []) {
      const names = Object.keys(r.byPolicy);
      rows.push({
        measure: `policies: ${r.session}`,
        result: `${r.native} → ${names.map((n) => r.byPolicy[n]).join(" / ")}`,
        goal: "",
        ok: undefined,
        detail: `native → ${names.join(" / ")}; delivered ${names.map((n) => r.delivered[n]).join(" / ")}`,
      });
    }
    if (l) {
      rows.push({
        measure: `launch turn of ${LAUNCH_SHELLS} background shells (real CLI), plugin ÷ native`,
        result: fmtX(l.ratio),
        goal: `≤ ${GOALS.launchTurn.toFixed(2)}`,
        ok: l.ratio <= GOALS.launchTurn && l.problems.length === 0,
        detail: `plugin (hooks module) ${fmtMs(median(l.pluginMs))}, native ${fmtMs(median(l.nativeMs))}; command hooks ${fmtMs(median(l.hooksMs))} (${fmtX(l.hooksRatio)} native), the module alone ${fmtMs(median(l.moduleAloneMs))} (${fmtX(l.moduleAloneRatio)}), a no-op async hook ${fmtMs(median(l.floorMs))}, the no-op on PostToolBatch ${fmtMs(median(l.batchFloorMs))}; times: medians of ${l.pluginMs.length}, ratios: medians of ${l.pairedRounds} paired rounds${l.problems.length ? `; PROBLEMS: ${l.problems.join(" / ")}` : ""}`,
      });
    }
    for (const [event, times] of Object.entries(m?.byEvent ?? {}).sort()) {
      rows.push({
        measure: `hooks module: ${event} dispatch (in-process)`,
        result: fmtMs(median(times)),
        goal: "",
        ok: undefined,
        detail: `max ${fmtMs(Math.max(...times))}, ${times.length} dispatches in ${m?.sessions} sessions; no process${m?.problems.length ? `; PROBLEMS: ${m.problems.join(" / ")}` : ""}`,
      });
    }

    const printed = table(rows);
    process.stdout.write(`${printed}\n`);
    log(
      `bench: ${seconds.toFixed(0)} s; node ${process.version}, ${cpus().length} CPUs, load ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
    );
    if (WRITE && hooks && b && g && w && s && p && l && m) {
      const doc = performanceDoc({ rows, hooks, b, g, w, s, p, l, m, seconds, loadBefore, loadAfter });
      writeFileSync(join(ROOT, "docs", "PERFORMANCE.md"), doc);
      log("bench: wrote docs/PERFORMANCE.md");
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The module's dispatch times per event, beside what the command hooks pay per event (a process). */
function moduleTable(m: ModuleFigures): string {
  const lines = [
    `Claude Code's own timing of each dispatch of bg-notify's hooks module ("settled in N ms": the hop to`,
    `the worker every plugin module shares, the hook, and \`next\` beneath it), from the debug log of`,
    `${m.sessions} sessions of three shells ending at once at the idle prompt (each held, one wake-up: model`,
    `requests per session ${[...new Set(m.requests)].join(", ")}, natively 5). No process is started; a command hook`,
    "costs a node process each (the table above).",
    "",
    "| event | median | max | dispatches |",
    "| --- | --- | --- | --- |",
  ];
  for (const [event, times] of Object.entries(m.byEvent).sort())
    lines.push(`| \`${event}\` | ${fmtMs(median(times))} | ${fmtMs(Math.max(...times))} | ${times.length} |`);
  if (m.problems.length > 0) lines.push("", `Problems: ${m.problems.join("; ")}`);
  return lines.join("\n");
}

interface DocInput {
  rows: Row[];
  hooks: HookFigures;
  b: BurstFigures;
  g: GrowthFigures;
  w: WakeFigures;
  s: SavedFigures;
  p: PolicyFigures;
  l: LaunchTurnFigures;
  m: ModuleFigures;
  seconds: number;
  loadBefore: number;
  loadAfter: number;
}

function performanceDoc(d: DocInput): string {
  const summary = markdownTable(
    ["Measure", "Result", "Goal", "", "Detail"],
    d.rows.map((r) => [
      r.measure,
      r.result,
      r.goal,
      r.ok === undefined ? "" : r.ok ? "ok" : "**miss**",
      r.detail,
    ]),
  );
  const events = markdownTable(
    [
      "Hook event (recorded input)",
      "sh hooks/run",
      "÷ node -e 0",
      "bundle alone",
      "÷ node -e 0",
      "via tsx",
      "÷ node -e 0",
      "peak RSS",
      "RSS via tsx",
    ],
    d.hooks.events.map((e) => [
      e.label,
      fmtMs(e.shippedMs),
      fmtX(e.shippedRatio),
      fmtMs(e.distMs),
      fmtX(e.ratio),
      fmtMs(e.tsxMs),
      fmtX(e.tsxRatio),
      fmtMb(e.rssKb),
      fmtMb(e.tsxRssKb),
    ]),
  );
  const saved = markdownTable(
    ["Completions", "Wake-ups without the plugin", "With the plugin", "of which rewakes", "Delivered"],
    d.s.rows.map((r) => [
      String(r.completions),
      String(r.native),
      String(r.plugin),
      String(r.pluginWakeUps),
      `${r.delivered}/${r.completions}`,
    ]),
  );
  const policyNames = Object.keys(POLICIES);
  const policyTable = markdownTable(
    ["Session", "Native wake-ups", ...policyNames.map((n) => `${n}`), "Delivered (each policy)"],
    d.p.rows.map((r) => [
      r.session,
      String(r.native),
      ...policyNames.map((n) => String(r.byPolicy[n])),
      policyNames.map((n) => r.delivered[n]).join(" / "),
    ]),
  );
  const growthTable = markdownTable(
    ["Hook", "empty state", `${HISTORY.toLocaleString("en")} delivered`, "ratio"],
    d.g.rows.map((r) => [r.label, fmtMs(r.emptyMs), fmtMs(r.historyMs), fmtX(r.ratio)]),
  );
  return `# Performance

Generated by \`npm run bench\` (bench/run.ts; about 18 minutes on 2 cores). Do not edit by hand: run it
again. Why the figures are what they are: [DESIGN.md](DESIGN.md#performance-choices). This run: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, node ${process.version}, ${cpus().length} CPUs, 1-minute load
average ${d.loadBefore.toFixed(1)} at the start and ${d.loadAfter.toFixed(1)} at the end (a shared machine), ${d.seconds.toFixed(0)} s in all.

Every hook is a fresh \`node\` process on the user's critical path, and the product exists to save the
parent session turns; both are measured here. Absolute times on a shared machine mean little, so every
figure with a goal is a ratio of runs made side by side: each measured run is paired with its
reference run back to back (which goes first alternates), a round runs every pair once in a shuffled
order, and the ratio is the median of the ${ROUNDS} per-pair ratios (after a warm-up round). A pair of two
identical \`node -e 0\` runs is measured the same way; its ratio (${fmtX(d.hooks.noiseRatio)} here) is the noise to read the others against.

## Summary

${summary}

## Hook start-up, per event

Each row runs the hook as hooks/hooks.json does (\`sh hooks/run <event>\`: the launcher, which starts
\`node dist/hooks/<event>.js\` only when the input can matter, with the plugin's data directory set as
Claude Code sets it, so that the entry runs its bundle from V8's code cache) and, beside it, the bundle
alone (\`node dist/hooks/<event>.js\` without a data directory: compiled every time), with a
Claude Code input recorded in test/fixtures/ on stdin, and the state directory the recording had built up
by then (replayed through the recording hooks beforehand, restored before every run so that every run does
the same work: a notice recorded for the first time, a due batch claimed, …, and flushed to disk, as a
session's files are once older than the kernel's 30 s writeback delay). "via tsx" is the same entry
run from source (\`node --import tsx src/plugin/entries/<event>.ts\`, ${TSX_ROUNDS} rounds), which is what the bundle saves.
Peak RSS is GNU time's maximum resident set size (median of 3; 1 via tsx). \`node -e 0\`: ${fmtMs(d.hooks.baselineMs)},
peak RSS ${fmtMb(d.hooks.baselineRssKb)}. Goals: ≤ ${GOALS.fast.toFixed(2)} where there is nothing to do (the "fast path"
rows: the launcher answers without node), ≤ ${GOALS.hook.toFixed(2)} for every event that does work.

${events}

The events that change state (a notice, a launch, a claim) take the state lock, write state.json
(temp file, rename; no fsync: src/store/files.ts says why) and append to the journal; the others only read state.json. The rewake with
a zero window makes two transactions (record, then claim) and renders the notice: the heaviest path, and
one Claude Code runs in the background (\`asyncRewake\`), not before the prompt.

## Burst

${BURST_SIZE} sync UserPromptSubmit hooks started at once, each with a distinct completion notice for the same
parent (the worst case for the state lock: every one records under it), against ${BURST_SIZE} \`node -e 0\` started at
once; ${BURST_ROUNDS} rounds, alternating which goes first, medians. Afterwards state.json must hold each completion
exactly once, and every hook must have exited 0 having blocked its notice:
${fmtMs(d.b.hookMs)} vs ${fmtMs(d.b.baselineMs)} (${fmtX(d.b.ratio)}); lost ${d.b.lost}, duplicated ${d.b.duplicated}, not blocked ${d.b.notBlocked}, failed ${d.b.failed};
state.json ${fmtKb(d.b.stateBytes)} afterwards.

## Growth

A history of ${HISTORY.toLocaleString("en")} delivered completions in one session (one every 50 ms, so all within the TTLs and
only the count bounds apply) is built with the same pure updates the hooks run in their transactions
(recordNotice; claimBatches as the rewake claims each full batch; the retention check below) and
written to state.json. The sync UserPromptSubmit hook is timed on it, paired with runs on an empty state
directory (${GROWTH_ROUNDS} rounds):

${growthTable}

That history leaves state.json at ${fmtKb(d.g.boundedBytes)} (${d.g.counts.tasks} tasks, ${d.g.counts.batches} batches, ${d.g.counts.ledger} ledger keys); without pruning
in the hooks' own transactions it would be ${fmtKb(d.g.unboundedBytes)}.

## Idle wake latency

Three completions 150 ms apart reach an idle parent; for each, both UserPromptSubmit hooks run at once,
as Claude Code runs them (the sync one records and blocks the notice, the \`asyncRewake\` one waits out the
window). From the start of the first notice's hooks to the exit 2 of the rewake that wakes the parent,
default window ${d.w.windowMs} ms: ${d.w.latencies.map((l) => fmtMs(l)).join(", ")} (median ${fmtMs(median(d.w.latencies))}; goal ≤ window + ${GOALS.wakeSlackMs} ms).
Wake-ups per trial: ${d.w.wakes.join(", ")}; all three completions in that one wake-up: ${d.w.complete ? "yes" : "no"}. The window
opened ${median(d.w.opened).toFixed(0)} ms (median) after the first notice's hooks were started: a notice is stamped with the time
its input reached the hook process (its start: \`ctx.receivedAt\`), not when node got to record it.

## Wake-ups saved

Synthetic sessions shaped like three-background-shells.jsonl (one turn launches N background shells,
the parent goes idle, the N completions arrive 150 ms apart) are replayed in real time through the
shipped hooks by src/replay/engine.ts, which fires every handler hooks.json names, in parallel, and sends
Claude Code's wake-up echo after each rewake. These are not runs of the real CLI; the end-to-end suite
(\`npm run test:e2e\`, test/e2e/) checks three and seven shells against Claude Code itself. Without the
plugin each completion notice is a turn of the parent (observed with 2.1.332: three shells, three
wake-ups; it can merge notices that arrive during a running turn, so this is an upper bound). With it,
a batch closes after the window or at 5 completions (the default maxBatchSize).

${saved}

## Wake-ups per policy, spread-out work

Synthetic sessions where one turn launches shells that end seconds apart (the parent idle in between)
are replayed through the shipped hooks on the virtual clock (deterministic, no waiting): the wake-ups of
the parent without the plugin (one per notice), and with it under each policy (\`.claude/bg-notify.json\`
keys; README "Choosing a policy"). The end-to-end suite checks the same shapes against Claude Code
itself (\`spread-*\` scenarios). Under \`defer\` and past a wake budget the completions not delivered
here wait for the next prompt (none is typed in these sessions; the \`defer\` and \`wake-budget\`
scenarios check that it carries them).

${policyTable}

## Launch turn of ${LAUNCH_SHELLS} background shells, through the real CLI

The pinned Claude Code CLI against the loopback stand-in: one reply asks for ${LAUNCH_SHELLS} background
\`Bash\` calls; measured from that request to the request carrying their ${LAUNCH_SHELLS} results (the tool calls and
every hook around them). A round runs every arm below once, back to back, in a rotating order
(${LAUNCH_ROUNDS} rounds); a ratio is the median of the rounds' own ratios (${d.l.pairedRounds} rounds
in which every arm completed), a time the median of its arm's runs (pairing cancels the machine's drift
between rounds). Plugin, as Claude Code loads it (the hooks module holds; the command hooks stand down,
each a \`sh\` that exits at once)
${fmtMs(median(d.l.pluginMs))} vs native ${fmtMs(median(d.l.nativeMs))}: ${fmtX(d.l.ratio)} (goal ≤ ${GOALS.launchTurn.toFixed(2)}). With the command hooks holding
(\`BG_NOTIFY_LAYER=hooks\`, a Claude Code without modules): ${fmtMs(median(d.l.hooksMs))}, ${fmtX(d.l.hooksRatio)} native. The hooks
module alone, with no command hooks beside it (what the plugin would cost if Claude Code let a module stand
its own plugin's command hooks down; it runs them all, and a module that answered a \`classic.*\` event
without \`next\` would skip every settings hook beneath, the user's and other plugins' too): ${fmtMs(median(d.l.moduleAloneMs))}, ${fmtX(d.l.moduleAloneRatio)} native. A plugin whose only
hook is a no-op \`true\` on every \`Bash\` call's PostToolUse, async like bg-notify's, measured in the same
rounds: ${fmtMs(median(d.l.floorMs))}, ${fmtX(d.l.floorNativeRatio)} native: what Claude Code itself spends running any hook on each of the
${LAUNCH_SHELLS} calls. bg-notify ÷ that floor: ${fmtX(d.l.floorRatio)}. ${
    d.l.floorNativeRatio > GOALS.launchTurn
      ? `The goal of ≤ ${GOALS.launchTurn.toFixed(2)}× native is below that floor: no hook on each \`Bash\` call meets it.`
      : `The floor was within the goal in this run; bg-notify's own share is the ratio to the floor.`
  } The same no-op on \`PostToolBatch\` (once per reply), matcher \`Bash\`: ${fmtMs(median(d.l.batchFloorMs))}, ${fmtX(d.l.batchFloorNativeRatio)} native.
Why bg-notify keeps an async hook on every \`Bash\` call and not one on \`PostToolBatch\`: [DESIGN.md](DESIGN.md#performance-choices).

## The hooks module, per event

${moduleTable(d.m)}

## Why it is this fast

The choices behind these figures, and what was tried and not taken:
[DESIGN.md, "Performance choices"](DESIGN.md#performance-choices).
`;
}

await main();
