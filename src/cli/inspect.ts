// Read-only views of a state directory for status, statusline and doctor: what the state holds, summed up,
// and whether the lock looks healthy. Nothing here takes the lock or writes.
import { type BatchLimits, batchDueAt, undeliveredBatches } from "../core/batching.js";

import { type LockHealth, lockHealth } from "../store/lock.js";
import { formatDuration } from "./output.js";

export { type LockHealth, lockHealth };

/** The lock as one line, and whether it stands in the way: free, held, stale (either way), not a lock. */
export function describeLock(lock: LockHealth): { trouble: boolean; text: string } {
  if (!lock.present) return { trouble: false, text: "free" };
  if (lock.foreign !== undefined)
    return {
      trouble: true,
      text: `${lock.path} is not a lock bg-notify made (${lock.foreign}): no hook can take it, so nothing is held; remove it`,
    };
  const age = lock.ageMs ?? 0;
  if (!lock.stale)
    return { trouble: false, text: `held (refreshed ${formatDuration(Math.max(0, age))} ago)` };
  return {
    trouble: true,
    text:
      age < 0
        ? `${lock.path} is stamped ${formatDuration(-age)} in the future (its holder's clock ran ahead, or the clock was stepped back): stale; the next hook takes it over, or remove it`
        : `${lock.path} is stale (${formatDuration(age)} since it was refreshed): its holder died or hung; the next hook takes it over, or remove it`,
  };
}

import { transcriptCosts } from "../claude/transcript.js";
import { endedWithoutOutcome } from "../core/lifecycle.js";
import { estimateSavings, type Savings, totalSavings } from "../core/savings.js";
import type { BackgroundTask, BgState, TaskStatus } from "../core/types.js";

/** Listing order: what is still going, then failures, then the rest. */
const STATUSES: readonly TaskStatus[] = ["running", "pending", "error", "cancelled", "completed"];

export interface TaskCounts {
  running: number;
  /** No longer run by Claude Code, outcome unknown to bg-notify (counted here, not under its status). */
  ended: number;
  pending: number;
  completed: number;
  error: number;
  cancelled: number;
}

export interface BatchView {
  id: string;
  parentSessionId: string;
  tasks: number;
  taskIds: string[];
  openedAt: number;
  ageMs: number;
  /** Negative once the batch is overdue. */
  dueInMs: number;
  deliveredAt?: number;
  deliveredVia?: string;
}

export interface StateView {
  sessionId?: string;
  counts: TaskCounts;
  tasks: BackgroundTask[];
  undelivered: BatchView[];
  /** Most recent first. */
  delivered: BatchView[];
  owedTasks: number;
  /** Agents seen starting that are not known to run in the background (they send no notice). */
  foreground: number;
}

export function countTasks(tasks: readonly BackgroundTask[]): TaskCounts {
  const counts: TaskCounts = { running: 0, ended: 0, pending: 0, completed: 0, error: 0, cancelled: 0 };
  for (const task of tasks) {
    if (endedWithoutOutcome(task)) counts.ended++;
    else counts[task.status]++;
  }
  return counts;
}

export function viewState(state: BgState, now: number, limits: BatchLimits, sessionId?: string): StateView {
  const mine = (parent: string) => sessionId === undefined || parent === sessionId;
  const all = Object.values(state.tasks).filter((t) => mine(t.parentSessionId));
  const tasks = all
    .filter((t) => t.background !== false)
    .sort(
      (a, b) =>
        STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status) ||
        (b.completedAt ?? b.startedAt ?? 0) - (a.completedAt ?? a.startedAt ?? 0),
    );
  const view = (batch: BgState["batches"][number]): BatchView => ({
    id: batch.id,
    parentSessionId: batch.parentSessionId,
    tasks: batch.items.length,
    taskIds: batch.items.map((item) => item.task.id),
    openedAt: batch.openedAt,
    ageMs: now - batch.openedAt,
    dueInMs: batchDueAt(batch, limits, state) - now,
    ...(batch.deliveredAt !== undefined ? { deliveredAt: batch.deliveredAt } : {}),
    ...(batch.deliveredVia !== undefined ? { deliveredVia: batch.deliveredVia } : {}),
  });
  const undelivered = undeliveredBatches(state, sessionId).map(view);
  const delivered = state.batches
    .filter((b) => b.deliveredAt !== undefined && mine(b.parentSessionId))
    .sort((a, b) => (b.deliveredAt ?? 0) - (a.deliveredAt ?? 0))
    .map(view);
  return {
    ...(sessionId !== undefined ? { sessionId } : {}),
    counts: countTasks(tasks),
    tasks,
    undelivered,
    delivered,
    owedTasks: undelivered.reduce((n, b) => n + b.tasks, 0),
    foreground: all.length - tasks.length,
  };
}

/** One session's savings, named. */
export interface SessionSavings extends Savings {
  sessionId: string;
}

/**
 * What bg-notify saved, per session and in all (only `sessionId`'s when given): each session's tally
 * weighed by its own transcript (read once each, its tail).
 */
export function savingsView(
  state: BgState,
  sessionId?: string,
): { total: Savings; sessions: SessionSavings[] } {
  const sessions = Object.entries(state.tally ?? {})
    .filter(([id]) => sessionId === undefined || id === sessionId)
    .sort((a, b) => b[1].at - a[1].at)
    .map(([id, tally]) => ({ sessionId: id, ...estimateSavings(tally, transcriptCosts(tally.transcript)) }));
  return { total: totalSavings(sessions), sessions };
}

/** "≈1.9 M tokens", "≈80.2 k tokens", "≈950 tokens". */
export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `≈${(n / 1_000_000).toFixed(1)} M tokens`;
  if (n >= 1000) return `≈${(n / 1000).toFixed(1)} k tokens`;
  return `≈${Math.round(n)} tokens`;
}

/** One line of savings: "6 completions · 2 wake-ups, natively 6 (4 saved) · ≈80.2 k tokens saved". */
export function savingsLine(s: Savings): string {
  const tokens = s.tokensSaved === undefined ? "" : ` · ${formatTokens(s.tokensSaved)} saved`;
  return `${s.completions} completion(s) · ${s.wakeUps} wake-up(s), natively ${s.nativeWakeUps} (${s.savedWakeUps} saved)${tokens}`;
}
