// Lock trouble, staged with real processes: a holder killed with SIGKILL, 32 hooks at once, and
// the lock's stale takeover (a holder stopped past the stale time, then resumed while its
// successor holds the lock: two holders at once).

import type { ChildProcess, ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { undeliveredBatches } from "../../src/core/batching.ts";
import { DurableNotifier } from "../../src/library/durable-notifier.ts";
import { createFileStore } from "../../src/store/file-store.ts";
import { readState, withLockedState } from "../../src/store/transaction.ts";
import { startNode } from "../spawn.ts";
import {
  HOOKS,
  type HookName,
  type HookOutcome,
  hookEnv,
  noticePrompt,
  percentile,
  postToolUseInput,
  promptInput,
  reception,
  snapshotDir,
  startHook,
  stopInput,
  tempTree,
} from "./harness.ts";

const HELPER = new URL("./lock-helper.mjs", import.meta.url).pathname;

interface Helper {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the time the line was printed. */
  waitFor(line: string, timeoutMs?: number): Promise<number>;
  exited: Promise<number | null>;
}

export function startHelper(
  mode: "hold" | "stall" | "try",
  dir: string,
  arg = "",
  options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {},
): Helper {
  const child = startNode(
    [...(options.execArgv ?? []), HELPER, join(snapshotDir(), "index.mjs"), mode, dir, arg],
    {
      ...(options.env ? { env: options.env } : {}),
    },
  ).child as ChildProcessWithoutNullStreams;
  const lines: string[] = [];
  const waiters: { line: string; resolve: (t: number) => void }[] = [];
  let buffer = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      const at = performance.now();
      for (const w of waiters.filter((x) => x.line === line)) w.resolve(at);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor: (line, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        if (lines.includes(line)) return resolve(performance.now());
        const timer = setTimeout(
          () => reject(new Error(`helper never printed "${line}": ${lines.join(" | ")}`)),
          timeoutMs,
        );
        waiters.push({
          line,
          resolve: (t) => {
            clearTimeout(timer);
            resolve(t);
          },
        });
      }),
  };
}

export interface KilledHolderFigures {
  /** From the SIGKILL to the next transaction (in this process) holding the lock. */
  lockWaitMs: number;
  /** From the SIGKILL to a UserPromptSubmit hook, started at once, having recorded and blocked a notice. */
  hookMs: number;
  hookExitCode: number | null;
  hookBlocked: boolean;
  recorded: boolean;
}

/** Starts a holder, waits until it holds the lock, kills it with SIGKILL; returns the moment of the kill. */
async function killHolder(stateDir: string): Promise<number> {
  const holder = startHelper("hold", stateDir, "600000");
  await holder.waitFor("locked");
  holder.child.kill("SIGKILL");
  const killedAt = performance.now();
  await holder.exited;
  return killedAt;
}

/** A holder is killed with SIGKILL while it holds the lock; how long until others proceed? */
export async function killedHolderTakeover(): Promise<KilledHolderFigures> {
  const tree = tempTree("lock");
  try {
    // The lock alone: the next transaction, in this process.
    let killedAt = await killHolder(tree.stateDir);
    await withLockedState(tree.stateDir, () => undefined);
    const lockWaitMs = performance.now() - killedAt;
    // A real hook, started right after the kill.
    killedAt = await killHolder(tree.stateDir);
    const outcome = await startHook(
      "user-prompt-submit",
      JSON.stringify(promptInput("s-k", noticePrompt("tk1"))),
      hookEnv(tree),
    ).done;
    const hookMs = performance.now() - killedAt;
    const state = readState(tree.stateDir);
    return {
      lockWaitMs,
      hookMs,
      hookExitCode: outcome.exitCode,
      hookBlocked: reception(outcome).kind === "blocked",
      recorded: undeliveredBatches(state, "s-k").some((b) => b.items.some((i) => i.task.id === "tk1")),
    };
  } finally {
    tree.cleanup();
  }
}

export interface ConcurrentFigures {
  processes: number;
  /** Processes over their hooks.json timeout. */
  overTimeout: number;
  /** Worst duration as a share of the hook's timeout. */
  worstShareOfTimeout: number;
  maxMsByHook: Record<string, number>;
  p95Ms: number;
  badExits: number;
  completions: number;
  deliveredOnce: number;
  lost: number;
  duplicated: number;
  blockedNotices: number;
  /** Notices let through because a wake-up was on its way (Claude Code tells them). */
  passedNotices: number;
}

/** `n` hook processes started at once on one state directory. */
export async function concurrentHooks(n = 32, windowMs = 200): Promise<ConcurrentFigures> {
  const tree = tempTree("lock32");
  try {
    const env = hookEnv(tree, { BG_NOTIFY_BATCH_WINDOW_MS: String(windowMs), BG_NOTIFY_MAX_BATCH_SIZE: "5" });
    const notices = Math.floor((n * 3) / 8);
    const taskIds = Array.from({ length: notices }, (_, i) => `tc${i}`);
    const launches: { hook: HookName; input: unknown }[] = [];
    for (const id of taskIds) {
      const input = promptInput("s-c", noticePrompt(id));
      launches.push({ hook: "user-prompt-submit", input }, { hook: "rewake", input });
    }
    while (launches.length < n) {
      launches.push(
        launches.length % 2 === 0
          ? { hook: "post-tool-use", input: postToolUseInput("s-c") }
          : { hook: "stop", input: stopInput("s-c") },
      );
    }
    const outcomes: HookOutcome[] = await Promise.all(
      launches.map((l) => startHook(l.hook, JSON.stringify(l.input), env).done),
    );
    const figures: ConcurrentFigures = {
      processes: outcomes.length,
      overTimeout: 0,
      worstShareOfTimeout: 0,
      maxMsByHook: {},
      p95Ms: percentile(
        outcomes.map((o) => o.durationMs),
        95,
      ),
      badExits: 0,
      completions: taskIds.length,
      deliveredOnce: 0,
      lost: 0,
      duplicated: 0,
      blockedNotices: 0,
      passedNotices: 0,
    };
    const received = new Map<string, number>();
    const passed = new Set<string>();
    for (const [i, o] of outcomes.entries()) {
      const share = o.durationMs / (HOOKS[o.hook].timeoutSec * 1000);
      if (share > 1) figures.overTimeout++;
      figures.worstShareOfTimeout = Math.max(figures.worstShareOfTimeout, share);
      figures.maxMsByHook[o.hook] = Math.max(figures.maxMsByHook[o.hook] ?? 0, Math.round(o.durationMs));
      if (o.signal !== null || !(o.exitCode === 0 || (o.hook === "rewake" && o.exitCode === 2)))
        figures.badExits++;
      const got = reception(o);
      if (got.kind === "blocked") figures.blockedNotices++;
      else if (o.hook === "user-prompt-submit") {
        // Let through while a wake-up is on its way: Claude Code tells it, the state says so.
        figures.passedNotices++;
        const id = /<task-id>([^<]+)</.exec(JSON.stringify(launches[i]?.input))?.[1];
        if (id) passed.add(id);
      }
      if (got.kind === "delivered")
        for (const notice of got.notices)
          for (const id of notice.taskIds) received.set(id, (received.get(id) ?? 0) + 1);
    }
    // A passed notice is told by Claude Code: once, unless a batch told it too.
    for (const id of passed) received.set(id, (received.get(id) ?? 0) + 1);
    const store = createFileStore({ dir: tree.stateDir });
    const manager = new DurableNotifier(store, { batchWindow: windowMs });
    for (const d of await manager.flushAll())
      for (const t of d.tasks) received.set(t.id, (received.get(t.id) ?? 0) + 1);
    for (const id of taskIds) {
      const times = received.get(id) ?? 0;
      if (times === 0) figures.lost++;
      else if (times > 1) figures.duplicated++;
      else figures.deliveredOnce++;
    }
    return figures;
  } finally {
    tree.cleanup();
  }
}

export interface TakeoverFigures {
  /** The stopped holder's transaction ran again after its successor had committed. */
  rerunAfterSuccessor: boolean;
  /** While the successor held the lock, after the stopped holder resumed, a third process was kept out. */
  thirdKeptOut: string;
  /** Times the stopped holder's completion is recorded (must be 1), and the successor's mark kept. */
  recordedTimes: number;
  successorKept: boolean;
  stoppedHolderExit: number | null;
}

/**
 * the lock's stale takeover, staged: A records a completion and is stopped (SIGSTOP) inside its
 * transaction; after the stale time B takes the lock over; A is resumed while B holds it. A must notice
 * that the lock is no longer its own, leave B's lock alone, and redo its change after B's commit.
 */
export async function staleTakeoverRace(): Promise<TakeoverFigures> {
  const tree = tempTree("stale");
  try {
    const a = startHelper("stall", tree.stateDir, "tA");
    await a.waitFor("inside 1");
    a.child.kill("SIGSTOP");
    const b = startHelper("hold", tree.stateDir, "1500");
    await b.waitFor("locked", 20_000);
    a.child.kill("SIGCONT");
    // Let A run into its check and release; then see whether the lock is still B's alone.
    await new Promise((r) => setTimeout(r, 300));
    const c = startHelper("try", tree.stateDir);
    await c.exited;
    const thirdKeptOut = c.lines[0] ?? "(nothing)";
    const bDone = await b.waitFor("done");
    const aRerun = await a.waitFor("inside 2");
    await a.waitFor("done");
    const stoppedHolderExit = await a.exited;
    await b.exited;
    const state = readState(tree.stateDir);
    const recordedTimes = state.batches.flatMap((x) => x.items).filter((i) => i.task.id === "tA").length;
    return {
      rerunAfterSuccessor: aRerun > bDone,
      thirdKeptOut,
      recordedTimes,
      successorKept: Object.keys(state.ledger).some((k) => k.startsWith(`held-by-${b.child.pid}`)),
      stoppedHolderExit,
    };
  } finally {
    tree.cleanup();
  }
}
