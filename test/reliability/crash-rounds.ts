// Crash rounds: real hook processes (sync UserPromptSubmit with notices, the rewake hook, PostToolUse /
// Stop / prompt deliveries, the wake-up echo) run concurrently on one state directory and are killed with
// SIGKILL at random points of their lives. Afterwards a final flush collects what is still owed, and each
// completion is accounted for from what a consumer (Claude Code) actually received.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { undeliveredBatches } from "../../src/core/batching.ts";
import { runningButUnlisted } from "../../src/core/running.ts";
import { parseState } from "../../src/core/state.ts";
import type { BgState } from "../../src/core/types.ts";
import { DurableNotifier } from "../../src/library/durable-notifier.ts";
import { createFileStore } from "../../src/store/file-store.ts";
import {
  between,
  echoPrompt,
  type HookName,
  type HookOutcome,
  type HookProcess,
  hasStackTrace,
  hookEnv,
  median,
  noticePrompt,
  pick,
  postToolUseInput,
  promptInput,
  reception,
  rng,
  runHookOnce,
  startHook,
  stdoutIsValid,
  stopInput,
  type TempTree,
  tempTree,
} from "./harness.ts";

export interface CrashOptions {
  rounds: number;
  seed: number;
  /** Chance that each process is killed (SIGKILL) — or stopped, see `action` — at a random point of its life. */
  killChance?: number;
  /**
   * "kill": SIGKILL. "stall": SIGSTOP, then SIGCONT past the lock's stale time, so that others take the
   * lock over while the stopped process may still hold it (the lock's stale-takeover race).
   */
  action?: "kill" | "stall";
  /** Most task completions per round. */
  maxTasks?: number;
  /** Most extra delivery hooks (PostToolUse, Stop, a typed prompt) per round. */
  maxExtras?: number;
  /** Rounds run at once, each on its own state directory (their waits overlap). Default 2. */
  concurrency?: number;
  onProgress?: (done: number, figures: CrashFigures) => void;
}

export interface CrashFigures {
  rounds: number;
  processes: number;
  killed: number;
  /** Processes stopped past the stale time and resumed (action "stall"). */
  stalled: number;
  killedByHook: Record<string, number>;
  /** Hook processes run, by hook name: every row of the hook table must be here. */
  processesByHook: Record<string, number>;
  completions: number;
  /** state.json that did not parse or validate after a round (before the final flush). */
  unparsableStates: number;
  /** state.corrupt-* files: a hook found state it could not use. */
  quarantines: number;
  /** Completions a consumer received in a batch from a hook that exited normally. */
  deliveredByHooks: number;
  /** Completions still owed after the round, delivered by the final flush. */
  deliveredByFinalFlush: number;
  /** Completions whose notice reached the parent natively (its sync hook was killed or let it pass). */
  passedNatively: number;
  /** Of those, also delivered in a batch: told twice, the price of failing open. */
  toldTwiceNativeAndBatch: number;
  /** Neither received in a batch, nor owed at the end, nor passed natively. */
  lostCompletions: number;
  /** ...of which were in a batch whose claimant was killed between its commit and its exit. */
  lostInClaimWindow: number;
  /** Received by a consumer in two batches (or one batch twice). */
  duplicatedCompletions: number;
  /** Batches marked delivered in state.json whose text no consumer received (claim committed, output lost). */
  claimedNotReceived: number;
  /** ...of which the claimant was a process we killed. */
  claimedNotReceivedKilled: number;
  /** Hook runs whose stdout was neither empty nor JSON, or carried a stack trace, or exited 2 wrongly. */
  badOutputs: number;
  /** Rounds where the final flush waited over a second (a killed process held the lock). */
  staleLockWaits: number;
  /** Final flushes that failed (e.g. lock not obtained). */
  flushFailures: number;
  /** Final states holding a `background_tasks` list a Stop reconciled: where the next figure is checked. */
  listingsChecked: number;
  /** Tasks a final state counts running that the last list it reconciled neither held nor predates. */
  runningButUnlisted: number;
  /** Seeds of rounds with a loss, a duplicate or an unparsable state, to rerun one alone. */
  failingRounds: string[];
  lostTaskIds: string[];
  /** A few of the bad outputs, for diagnosis. */
  badOutputSamples: string[];
}

function emptyFigures(): CrashFigures {
  return {
    rounds: 0,
    processes: 0,
    killed: 0,
    stalled: 0,
    killedByHook: {},
    processesByHook: {},
    completions: 0,
    unparsableStates: 0,
    listingsChecked: 0,
    runningButUnlisted: 0,
    quarantines: 0,
    deliveredByHooks: 0,
    deliveredByFinalFlush: 0,
    passedNatively: 0,
    toldTwiceNativeAndBatch: 0,
    lostCompletions: 0,
    lostInClaimWindow: 0,
    duplicatedCompletions: 0,
    claimedNotReceived: 0,
    claimedNotReceivedKilled: 0,
    badOutputs: 0,
    staleLockWaits: 0,
    flushFailures: 0,
    failingRounds: [],
    lostTaskIds: [],
    badOutputSamples: [],
  };
}

/** Hooks that run beside a burst's notices (the notices' own two, and SessionEnd and SessionStart, run anyway). */
const EXTRA_HOOKS = [
  "post-tool-use",
  "launch",
  "pre-tool-use",
  "subagent-start",
  "subagent-stop",
  "stop",
  "user-prompt-submit",
] as const satisfies readonly HookName[];

/** A realistic input of the kind Claude Code hands that hook (its matcher takes it). */
function extraInput(
  hook: (typeof EXTRA_HOOKS)[number],
  session: string,
  listed: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const common = { session_id: session, transcript_path: `/tmp/${session}.jsonl`, cwd: "/tmp" };
  const agent = `a${session}`;
  switch (hook) {
    case "post-tool-use":
      return postToolUseInput(session);
    case "launch":
      return {
        ...common,
        hook_event_name: "PostToolUse",
        tool_name: "Bash",
        tool_input: { command: "sleep 60", description: "extra job", run_in_background: true },
        tool_response: { stdout: "", stderr: "", interrupted: false, backgroundTaskId: `x${session}` },
        tool_use_id: `toolu_x${session}`,
      };
    case "pre-tool-use":
      return {
        ...common,
        hook_event_name: "PreToolUse",
        tool_name: "Agent",
        tool_input: {
          description: "helper",
          prompt: "x",
          subagent_type: "general-purpose",
          run_in_background: true,
        },
      };
    case "subagent-start":
      return { ...common, hook_event_name: "SubagentStart", agent_id: agent, agent_type: "general-purpose" };
    case "subagent-stop":
      return {
        ...common,
        hook_event_name: "SubagentStop",
        agent_id: agent,
        agent_type: "general-purpose",
        last_assistant_message: "helper done",
        background_tasks: [...listed, { id: agent, type: "subagent", status: "running" }],
      };
    case "stop":
      return { ...stopInput(session), background_tasks: listed };
    case "user-prompt-submit":
      return promptInput(session, "continue with the next step");
  }
}

/** Past the lock's 2000 ms stale time, with room for the successor to take the lock. */
const STALL_MS = 2600;

interface Launch {
  hook: HookName;
  input: Record<string, unknown>;
  /** The task whose notice this is (sync UserPromptSubmit / rewake). */
  taskId?: string;
}

/** Typical life of each hook (ms), learned from runs that were not killed, so kills land anywhere in it. */
class Lifetimes {
  private readonly seen = new Map<string, number[]>();
  record(key: string, ms: number): void {
    const list = this.seen.get(key) ?? [];
    list.push(ms);
    if (list.length > 50) list.shift();
    this.seen.set(key, list);
  }
  estimate(key: string): number {
    const list = this.seen.get(key);
    return list && list.length >= 3 ? median(list) : 250;
  }
}

function readStateRaw(stateDir: string): { state?: BgState; ok: boolean } {
  const path = join(stateDir, "state.json");
  if (!existsSync(path)) return { ok: true };
  try {
    const parsed = parseState(JSON.parse(readFileSync(path, "utf8")));
    return parsed.ok ? { state: parsed.state, ok: true } : { ok: false };
  } catch {
    return { ok: false };
  }
}

async function runRound(
  index: number,
  seed: number,
  base: TempTree,
  options: Required<Omit<CrashOptions, "onProgress" | "rounds" | "seed" | "concurrency">>,
  lifetimes: Lifetimes,
  figures: CrashFigures,
): Promise<void> {
  const random = rng(seed * 7919 + index);
  const project = join(base.root, `r${index}`);
  const tree: TempTree = { ...base, project, stateDir: join(project, ".claude", "bg-notify") };
  const windowMs = pick(random, [0, 15, 40, 80, 150]);
  const maxBatch = pick(random, [2, 3, 5, 10]);
  const env = hookEnv(tree, {
    BG_NOTIFY_BATCH_WINDOW_MS: String(windowMs),
    BG_NOTIFY_MAX_BATCH_SIZE: String(maxBatch),
  });
  const session = `s${index}`;
  const taskIds = Array.from({ length: between(random, 1, options.maxTasks) }, (_, j) => `t${index}x${j}`);

  const schedule: { at: number; launch: Launch }[] = [];
  const endsAt = new Map<string, number>();
  for (const taskId of taskIds) {
    const at = between(random, 0, 150);
    endsAt.set(taskId, at);
    const input = promptInput(session, noticePrompt(taskId));
    // Claude Code runs both UserPromptSubmit hooks of hooks.json at once for each notice.
    schedule.push({ at, launch: { hook: "user-prompt-submit", input, taskId } });
    schedule.push({ at, launch: { hook: "rewake", input, taskId } });
  }
  for (let e = between(random, 0, options.maxExtras); e > 0; e--) {
    const hook = pick(random, EXTRA_HOOKS);
    const at = between(random, 0, 300);
    // Claude Code's list at a Stop: the shells whose notice is still to come.
    const listed = taskIds
      .filter((id) => (endsAt.get(id) ?? 0) > at)
      .map((id) => ({ id, type: "shell", status: "running" }));
    schedule.push({ at, launch: { hook, input: extraInput(hook, session, listed) } });
  }

  const runs: { launch: Launch; proc: HookProcess; killed: boolean; stalled: boolean }[] = [];
  const pending: Promise<void>[] = [];
  const launch = (item: Launch) => {
    const proc = startHook(item.hook, JSON.stringify(item.input), env);
    const run = { launch: item, proc, killed: false, stalled: false };
    runs.push(run);
    const lifeKey = item.hook === "rewake" ? `rewake:${windowMs}` : item.hook;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (random() < options.killChance) {
      const delay = random() * lifetimes.estimate(lifeKey) * 1.1;
      timer = setTimeout(() => {
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
        if (options.action === "stall") {
          figures.stalled++;
          run.stalled = true;
          proc.child.kill("SIGSTOP");
          setTimeout(() => proc.child.kill("SIGCONT"), STALL_MS);
        } else {
          run.killed = true;
          proc.child.kill("SIGKILL");
        }
      }, delay);
    }
    pending.push(
      proc.done.then((outcome) => {
        if (timer) clearTimeout(timer);
        if (!run.killed && !run.stalled) lifetimes.record(lifeKey, outcome.durationMs);
        // Claude Code answers a wake-up with the echo prompt, which goes through UserPromptSubmit.
        if (item.hook === "rewake" && outcome.exitCode === 2) {
          launch({ hook: "user-prompt-submit", input: promptInput(session, echoPrompt(outcome.stderr)) });
        }
      }),
    );
  };
  for (const item of schedule)
    pending.push(new Promise((r) => setTimeout(r, item.at)).then(() => launch(item.launch)));
  // Launches add to `pending` while we wait; wait until it stops growing.
  for (let seen = 0; seen < pending.length; ) {
    const batch = pending.slice(seen);
    seen = pending.length;
    await Promise.all(batch);
  }
  const outcomes: { launch: Launch; outcome: HookOutcome; killed: boolean }[] = [];
  for (const run of runs)
    outcomes.push({ launch: run.launch, outcome: await run.proc.done, killed: run.killed });

  // 1. The state every process left behind must parse, and count as running only what Claude Code lists.
  const raw = readStateRaw(tree.stateDir);
  if (raw.state?.listed?.[session]) {
    figures.listingsChecked++;
    figures.runningButUnlisted += runningButUnlisted(raw.state).length;
  }
  const dirNames = existsSync(tree.stateDir) ? readdirSync(tree.stateDir) : [];
  const quarantines = dirNames.filter((n) => n.startsWith("state.corrupt-")).length;

  // 2. What consumers received.
  const received = new Map<string, number>(); // taskId → batches received
  const batchSeen = new Map<string, number>();
  const passed = new Set<string>();
  let bad = 0;
  for (const { launch: l, outcome, killed } of outcomes) {
    figures.processes++;
    figures.processesByHook[l.hook] = (figures.processesByHook[l.hook] ?? 0) + 1;
    if (killed && outcome.signal === "SIGKILL") {
      figures.killed++;
      figures.killedByHook[l.hook] = (figures.killedByHook[l.hook] ?? 0) + 1;
    }
    if (outcome.signal === null) {
      const wrongExit = outcome.exitCode !== 0 && !(l.hook === "rewake" && outcome.exitCode === 2);
      if (
        wrongExit ||
        !stdoutIsValid(outcome.stdout) ||
        hasStackTrace(outcome.stdout) ||
        hasStackTrace(outcome.stderr)
      ) {
        bad++;
        if (figures.badOutputSamples.length < 10)
          figures.badOutputSamples.push(
            `${l.hook} exit ${outcome.exitCode}: stdout ${JSON.stringify(outcome.stdout.slice(0, 200))} stderr ${JSON.stringify(outcome.stderr.slice(0, 300))}`,
          );
      }
    }
    const got = reception(outcome);
    if (l.taskId && l.hook === "user-prompt-submit" && got.kind !== "blocked") passed.add(l.taskId);
    if (got.kind === "delivered") {
      for (const notice of got.notices) {
        batchSeen.set(notice.batchId, (batchSeen.get(notice.batchId) ?? 0) + 1);
        for (const id of notice.taskIds) received.set(id, (received.get(id) ?? 0) + 1);
        if (notice.taskIds.length !== notice.count) {
          bad++;
          figures.badOutputSamples.push(`notice lists ${notice.taskIds.length} of ${notice.count} tasks`);
        }
      }
    }
  }

  // 3. Claims committed whose text nobody received.
  const killedPids = new Set(outcomes.filter((o) => o.killed).map((o) => o.outcome.pid));
  let claimedNotReceived = 0;
  let claimedNotReceivedKilled = 0;
  const inClaimWindow = new Set<string>();
  for (const batch of raw.state?.batches ?? []) {
    if (batch.deliveredAt === undefined || batchSeen.has(batch.id)) continue;
    // Told by Claude Code itself (a notice let through): no hook's text names it.
    if (batch.toldBy === "claude-code") continue;
    claimedNotReceived++;
    const pid = Number(batch.claimedBy?.split(":")[1]);
    if (killedPids.has(pid)) {
      claimedNotReceivedKilled++;
      for (const item of batch.items) inClaimWindow.add(item.task.id);
    }
  }

  // 4. The session starts again (a resume), as the real SessionStart hook: a batch the rewake sent
  //    whose text no consumer received (its transcript, written here from what was received, does not
  //    name it) is owed again and told now; one that was received is not. Then everything still owed
  //    is flushed.
  const flushed = new Map<string, number>();
  const flushStart = performance.now();
  const transcript = join(tree.project, "transcript.jsonl");
  mkdirSync(tree.project, { recursive: true });
  writeFileSync(
    transcript,
    [...batchSeen.keys()].map((id) => `{"type":"user","message":"(batch ${id}; told"}`).join("\n"),
  );
  // The process ends first (SessionEnd settles against the same transcript and ends what still runs).
  const end = await runHookOnce(
    "session-end",
    {
      session_id: session,
      transcript_path: transcript,
      cwd: tree.project,
      hook_event_name: "SessionEnd",
      reason: "other",
    },
    env,
  );
  figures.processesByHook["session-end"] = (figures.processesByHook["session-end"] ?? 0) + 1;
  if (end.signal !== null || end.exitCode !== 0 || !stdoutIsValid(end.stdout)) {
    bad++;
    figures.badOutputSamples.push(`session-end exit ${end.exitCode}: ${end.stderr.slice(0, 200)}`);
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    figures.processesByHook["session-start"] = (figures.processesByHook["session-start"] ?? 0) + 1;
    const start = await runHookOnce(
      "session-start",
      {
        session_id: session,
        transcript_path: transcript,
        cwd: tree.project,
        hook_event_name: "SessionStart",
        source: "resume",
      },
      env,
    );
    const got = reception(start);
    if (got.kind !== "delivered" || got.notices.length === 0) break;
    for (const notice of got.notices) {
      for (const id of notice.taskIds) flushed.set(id, (flushed.get(id) ?? 0) + 1);
      // Claude Code records the context it was handed in the transcript, as it did the first time.
      appendFileSync(transcript, `\n{"type":"user","message":"(batch ${notice.batchId}; told"}`);
    }
  }
  try {
    const store = createFileStore({ dir: tree.stateDir });
    const manager = new DurableNotifier(store, {
      batchWindow: windowMs,
      maxBatchSize: maxBatch,
      source: "final-flush",
    });
    for (const delivery of await manager.flushAll()) {
      for (const task of delivery.tasks) flushed.set(task.id, (flushed.get(task.id) ?? 0) + 1);
    }
    if (undeliveredBatches(await store.read()).length > 0) figures.flushFailures++;
  } catch {
    figures.flushFailures++;
  }
  if (performance.now() - flushStart > 1000) figures.staleLockWaits++;

  // 5. Account for every completion.
  let roundFailed =
    !raw.ok || bad > 0 || (raw.state !== undefined && runningButUnlisted(raw.state).length > 0);
  for (const taskId of taskIds) {
    figures.completions++;
    const inBatches = (received.get(taskId) ?? 0) + (flushed.get(taskId) ?? 0);
    const native = passed.has(taskId);
    if (received.get(taskId)) figures.deliveredByHooks++;
    if (flushed.get(taskId)) figures.deliveredByFinalFlush++;
    if (native) figures.passedNatively++;
    if (native && inBatches > 0) figures.toldTwiceNativeAndBatch++;
    if (inBatches === 0 && !native) {
      figures.lostCompletions++;
      if (inClaimWindow.has(taskId)) figures.lostInClaimWindow++;
      figures.lostTaskIds.push(taskId);
      roundFailed = true;
    }
    if (inBatches > 1) {
      figures.duplicatedCompletions++;
      roundFailed = true;
    }
  }
  for (const times of batchSeen.values()) if (times > 1) roundFailed = true;
  figures.rounds++;
  if (!raw.ok) figures.unparsableStates++;
  figures.quarantines += quarantines;
  figures.badOutputs += bad;
  figures.claimedNotReceived += claimedNotReceived;
  figures.claimedNotReceivedKilled += claimedNotReceivedKilled;
  if (roundFailed) figures.failingRounds.push(`seed ${seed} round ${index}`);
  if (!roundFailed) rmSync(project, { recursive: true, force: true });
}

export async function runCrashRounds(options: CrashOptions): Promise<CrashFigures> {
  const settings = {
    killChance: options.killChance ?? 0.4,
    action: options.action ?? "kill",
    maxTasks: options.maxTasks ?? 5,
    maxExtras: options.maxExtras ?? 3,
  };
  const figures = emptyFigures();
  const base = tempTree("crash");
  const lifetimes = new Lifetimes();
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < options.rounds; i = next++) {
      await runRound(i, options.seed, base, settings, lifetimes, figures);
      options.onProgress?.(++done, figures);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  } finally {
    if (figures.failingRounds.length === 0) base.cleanup();
  }
  return figures;
}
