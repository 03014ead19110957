// Batching decisions over plain state: record a completion once, group a parent's completions into
// batches (window from the first item, sealed at maxBatchSize), find what is due, and claim it.
import { isActive } from "./lifecycle.js";
import { activeTasksOf } from "./running.js";
import { noteWakeUp } from "./savings.js";
import { completionKey, isSentUnacknowledged, phaseOf, taskKey, WAKES_KEEP } from "./state.js";
import { entryChars, SUMMARY_BODY_CHARS } from "./summary.js";
import type { BackgroundTask, Batch, BatchCounts, BgState, DeliveryRoute } from "./types.js";

export interface BatchLimits {
  batchWindowMs: number;
  maxBatchSize: number;
  /** Waiting for siblings (opt-in); without it, the design's window alone decides. */
  hold?: HoldPolicy;
  /** No batch is ever due: completions ride the next turn that starts (policy `defer`). */
  defer?: boolean;
  /** At most `wakes` wake-ups per `perMs` per parent (opt-in). */
  budget?: WakeBudgetRule;
}

export interface WakeBudgetRule {
  wakes: number;
  perMs: number;
  /** A batch with a failure in it may wake past the budget. */
  failureWakes: boolean;
}

/** The routes by which bg-notify itself woke an idle parent: what a wake budget counts. */
const WAKE_ROUTES: ReadonlySet<string> = new Set(["rewake", "module-wake"]);

export interface HoldPolicy {
  waitForSiblings: boolean;
  maxHoldMs: number;
  wakeOnFailure: boolean;
}

export type EnqueueOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "duplicate"; key: string; batchId?: string; delivered: boolean }
  | { kind: "queued"; key: string; batchId: string; batchFull: boolean; openedBatch: boolean };

/** FNV-1a, 52 bits: stable ids derived from content, so a replayed transaction lands on the same id. */
export function stableId(prefix: string, text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${prefix}${h1.toString(36)}${(h2 & 0xfffff).toString(36)}`;
}

export function findBatchOf(state: BgState, key: string): Batch | undefined {
  return state.batches.find((b) => b.items.some((item) => item.key === key));
}

/**
 * The one rule for "is this batch due": the moment it filled, otherwise `batchWindowMs` after its first
 * item (a pause waited for after it counts from then: docs/DESIGN.md, `QUIET_WAIT_MAX_MS`).
 * Waiting for siblings (given the state): while a task launched in the same turn as one of the batch's
 * still runs, the batch waits, up to `maxHoldMs` from its first item; a failure in it (wakeOnFailure)
 * makes it due at the end of the ordinary window (at once, when that has passed), whatever still runs.
 */
export function batchDueAt(batch: Batch, limits: BatchLimits, state?: BgState): number {
  if (limits.defer) return Number.POSITIVE_INFINITY;
  const due = dueByWindow(batch, limits, state);
  const budget = limits.budget;
  if (!budget || !state || (budget.failureWakes && hasFailure(batch))) return due;
  return Math.max(due, budgetOpensAt(state, batch.parentSessionId, budget));
}

function dueByWindow(batch: Batch, limits: BatchLimits, state?: BgState): number {
  const filledAt =
    batch.items.length >= limits.maxBatchSize
      ? Math.max(batch.openedAt, ...batch.items.slice(0, limits.maxBatchSize).map((i) => i.recordedAt))
      : Number.POSITIVE_INFINITY;
  const windowEnd = batch.openedAt + limits.batchWindowMs;
  const hold = limits.hold;
  if (!hold?.waitForSiblings || !state || runningSiblings(state, batch).length === 0)
    return Math.min(filledAt, windowEnd);
  const ceiling = Math.max(windowEnd, batch.openedAt + hold.maxHoldMs);
  return Math.min(filledAt, hold.wakeOnFailure && hasFailure(batch) ? windowEnd : ceiling);
}

/**
 * When the parent's wake budget next allows a wake-up: `perMs` after the oldest of its last `wakes`
 * wake-ups (one wake-up claims every owed batch at one instant: it counts once); at once with fewer.
 */
export function budgetOpensAt(state: BgState, parentSessionId: string, budget: WakeBudgetRule): number {
  const wakes = state.wakes?.[parentSessionId] ?? [];
  if (wakes.length < budget.wakes) return Number.NEGATIVE_INFINITY;
  return (wakes[wakes.length - budget.wakes] as number) + budget.perMs;
}

/** A wake-up of this parent at `now`: what a budget counts (one per claim, whatever it claimed). */
function noteWake(state: BgState, parentSessionId: string, now: number): void {
  state.wakes ??= {};
  const times = state.wakes[parentSessionId] ?? [];
  state.wakes[parentSessionId] = times;
  if (times[times.length - 1] !== now) times.push(now);
  if (times.length > WAKES_KEEP) times.splice(0, times.length - WAKES_KEEP);
}

export function isBatchDue(batch: Batch, now: number, limits: BatchLimits, state?: BgState): boolean {
  return now >= batchDueAt(batch, limits, state);
}

/** The parent's turns that launched this batch's tasks. */
function turnsOf(batch: Batch): Set<string> {
  const turns = new Set<string>();
  for (const item of batch.items) if (item.task.turnId) turns.add(item.task.turnId);
  return turns;
}

/** Every task the parent launched in the turns of this batch's tasks (a sibling of them), in any state. */
export function siblingsOf(state: BgState, batch: Batch): BackgroundTask[] {
  const turns = turnsOf(batch);
  if (turns.size === 0) return [];
  return Object.values(state.tasks).filter(
    (t) =>
      t.parentSessionId === batch.parentSessionId &&
      t.turnId !== undefined &&
      turns.has(t.turnId) &&
      t.ownerAgentId === undefined,
  );
}

/** Siblings still running: what a batch waits for. A task that ended by any path no longer is one. */
export function runningSiblings(state: BgState, batch: Batch): BackgroundTask[] {
  const turns = turnsOf(batch);
  if (turns.size === 0) return [];
  return activeTasksOf(state, batch.parentSessionId).filter(
    (t) => t.turnId !== undefined && turns.has(t.turnId),
  );
}

function hasFailure(batch: Batch): boolean {
  return batch.items.some((item) => item.task.status !== "completed");
}

/** When the earliest undelivered batch of this parent falls due; undefined when none is owed or none ever falls due. */
export function nextDueAt(state: BgState, parentSessionId: string, limits: BatchLimits): number | undefined {
  let earliest: number | undefined;
  for (const batch of undeliveredBatches(state, parentSessionId)) {
    const at = batchDueAt(batch, limits, state);
    if (Number.isFinite(at) && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}

/** When the newest completion of this parent was recorded (held, or told natively); undefined for none. */
export function lastCompletionAt(state: BgState, parentSessionId: string): number | undefined {
  const prefix = `${parentSessionId}/`;
  let last: number | undefined;
  for (const key in state.ledger) {
    const at = state.ledger[key] as number;
    if (key.startsWith(prefix) && (last === undefined || at > last)) last = at;
  }
  return last;
}

export function undeliveredBatches(state: BgState, parentSessionId?: string): Batch[] {
  return state.batches
    .filter(
      (b) =>
        phaseOf(b) === "owed" && (parentSessionId === undefined || b.parentSessionId === parentSessionId),
    )
    .sort((a, b) => a.openedAt - b.openedAt);
}

/** Records one completion inside a transaction: the one way a completion enters a batch. */
export type RecordCompletion = (task: BackgroundTask) => EnqueueOutcome;

/** A plain recorder over `state` (tests, benchmarks); the notifiers wrap theirs to announce what it queued. */
export function recorderFor(state: BgState, now: number, limits: BatchLimits): RecordCompletion {
  return (task) => enqueueCompletion(state, task, now, limits);
}

/**
 * Records a terminal task for its parent. The task record and the queued completion change together,
 * so a crash can never leave one without the other. Repeats of the same completion are ignored.
 */
export function enqueueCompletion(
  state: BgState,
  task: BackgroundTask,
  now: number,
  limits: BatchLimits,
): EnqueueOutcome {
  if (!task.parentSessionId) return { kind: "ignored", reason: "task has no parent session" };
  if (isActive(task)) return { kind: "ignored", reason: `task ${task.id} has not finished` };
  const key = completionKey(task);
  const known = findBatchOf(state, key);
  if (state.ledger[key] !== undefined || known) {
    if (known && known.deliveredAt === undefined) {
      // A later report of the same completion may carry more detail (a notice after SubagentStop).
      const item = known.items.find((i) => i.key === key);
      if (item) item.task = mergeDetail(item.task, task);
    }
    return {
      kind: "duplicate",
      key,
      batchId: known?.id,
      delivered: known ? known.deliveredAt !== undefined : true,
    };
  }
  state.ledger[key] = now;
  state.tasks[taskKey(task.parentSessionId, task.id)] = task;

  // A batch also closes to newcomers once its entries, told whole, would outgrow one notice: every
  // agent report that fits a notice then reaches the parent in full. An entry too large for any notice
  // is cut whatever happens (its notice names the file that holds it whole), so it takes no room here.
  const room = (t: BackgroundTask) => {
    const chars = entryChars(t);
    return chars > SUMMARY_BODY_CHARS ? 0 : chars;
  };
  const size = room(task);
  let batch = undeliveredBatches(state, task.parentSessionId).find(
    (b) =>
      b.items.length < limits.maxBatchSize &&
      b.items.reduce((n, i) => n + room(i.task), 0) + size <= SUMMARY_BODY_CHARS,
  );
  const openedBatch = batch === undefined;
  if (!batch) {
    batch = {
      id: stableId("b-", `${task.parentSessionId}\n${key}`),
      parentSessionId: task.parentSessionId,
      openedAt: now,
      items: [],
    };
    state.batches.push(batch);
  }
  batch.items.push({ key, recordedAt: now, task });
  return {
    kind: "queued",
    key,
    batchId: batch.id,
    batchFull: batch.items.length >= limits.maxBatchSize,
    openedBatch,
  };
}

function mergeDetail(older: BackgroundTask, newer: BackgroundTask): BackgroundTask {
  const merged: BackgroundTask = { ...older };
  for (const [field, value] of Object.entries(newer) as [keyof BackgroundTask, unknown][]) {
    if (value !== undefined && (merged[field] === undefined || field === "result" || field === "usage")) {
      (merged as unknown as Record<string, unknown>)[field] = value;
    }
  }
  return merged;
}

export interface ClaimOptions {
  parentSessionId?: string;
  /** Only this batch (a timer that closes one batch's window). */
  batchId?: string;
  /** Claim batches whose window has not closed yet too. */
  force?: boolean;
  limit?: number;
  via: DeliveryRoute;
  by: string;
  /**
   * The wake-ups on their way that the caller has weighed (rewake batch ids): if another went out since,
   * the claim takes nothing, and the caller looks again (a rewake then waits for that one's answer).
   */
  knownWakeUps?: readonly string[];
}

/** The batches a claim with these options would take, in order, without taking them. */
export function dueBatches(
  state: BgState,
  now: number,
  limits: BatchLimits,
  options: Pick<ClaimOptions, "parentSessionId" | "batchId" | "force" | "knownWakeUps"> & { by?: string },
): Batch[] {
  const known = options.knownWakeUps;
  if (known && options.parentSessionId !== undefined) {
    const other = (b: Batch) => b.deliveredVia === "rewake" && b.claimedBy !== options.by;
    const sent = sentUnacknowledged(state, options.parentSessionId).filter(other);
    if (sent.some((b) => !known.includes(b.id))) return [];
  }
  return undeliveredBatches(state, options.parentSessionId).filter(
    (batch) =>
      (options.batchId === undefined || batch.id === options.batchId) &&
      (options.force || isBatchDue(batch, now, limits, state)),
  );
}

/** Marks due batches delivered and returns them; the caller prints them only after this commits. */
export function claimBatches(
  state: BgState,
  now: number,
  limits: BatchLimits,
  options: ClaimOptions,
): Batch[] {
  const claimed: Batch[] = [];
  for (const batch of dueBatches(state, now, limits, options)) {
    if (options.limit !== undefined && claimed.length >= options.limit) break;
    batch.deliveredAt = now;
    batch.deliveredVia = options.via;
    batch.claimedBy = options.by;
    claimed.push(batch);
  }
  if (WAKE_ROUTES.has(options.via))
    for (const parent of new Set(claimed.map((b) => b.parentSessionId))) {
      noteWake(state, parent, now);
      noteWakeUp(state, parent, now);
    }
  return claimed;
}

/** Undoes a claim: the batch is owed again, in its own place in line (what `claimBatches` set, unset). */
export function unclaimBatch(batch: Batch): void {
  delete batch.deliveredAt;
  delete batch.deliveredVia;
  delete batch.claimedBy;
}

export function countBatch(tasks: readonly BackgroundTask[]): BatchCounts {
  const counts: BatchCounts = {
    count: tasks.length,
    completedCount: 0,
    failedCount: 0,
    cancelledCount: 0,
    unknownCount: 0,
  };
  for (const task of tasks) {
    if (task.originalStatus === "unknown") counts.unknownCount++;
    else if (task.status === "completed") counts.completedCount++;
    else if (task.status === "cancelled") counts.cancelledCount++;
    else counts.failedCount++;
  }
  return counts;
}

export function sentUnacknowledged(state: BgState, parentSessionId: string): Batch[] {
  return state.batches.filter((b) => b.parentSessionId === parentSessionId && isSentUnacknowledged(b));
}
