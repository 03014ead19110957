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
export interface HoldPolicy {
    waitForSiblings: boolean;
    maxHoldMs: number;
    wakeOnFailure: boolean;
}
export type EnqueueOutcome = {
    kind: "ignored";
    reason: string;
} | {
    kind: "duplicate";
    key: string;
    batchId?: string;
    delivered: boolean;
} | {
    kind: "queued";
    key: string;
    batchId: string;
    batchFull: boolean;
    openedBatch: boolean;
};
/** FNV-1a, 52 bits: stable ids derived from content, so a replayed transaction lands on the same id. */
export declare function stableId(prefix: string, text: string): string;
export declare function findBatchOf(state: BgState, key: string): Batch | undefined;
/**
 * The one rule for "is this batch due": the moment it filled, otherwise `batchWindowMs` after its first
 * item (a pause waited for after it counts from then: docs/DESIGN.md, `QUIET_WAIT_MAX_MS`).
 * Waiting for siblings (given the state): while a task launched in the same turn as one of the batch's
 * still runs, the batch waits, up to `maxHoldMs` from its first item; a failure in it (wakeOnFailure)
 * makes it due at the end of the ordinary window (at once, when that has passed), whatever still runs.
 */
export declare function batchDueAt(batch: Batch, limits: BatchLimits, state?: BgState): number;
/**
 * When the parent's wake budget next allows a wake-up: `perMs` after the oldest of its last `wakes`
 * wake-ups (one wake-up claims every owed batch at one instant: it counts once); at once with fewer.
 */
export declare function budgetOpensAt(state: BgState, parentSessionId: string, budget: WakeBudgetRule): number;
export declare function isBatchDue(batch: Batch, now: number, limits: BatchLimits, state?: BgState): boolean;
/** Every task the parent launched in the turns of this batch's tasks (a sibling of them), in any state. */
export declare function siblingsOf(state: BgState, batch: Batch): BackgroundTask[];
/** Siblings still running: what a batch waits for. A task that ended by any path no longer is one. */
export declare function runningSiblings(state: BgState, batch: Batch): BackgroundTask[];
/** When the earliest undelivered batch of this parent falls due; undefined when none is owed or none ever falls due. */
export declare function nextDueAt(state: BgState, parentSessionId: string, limits: BatchLimits): number | undefined;
/** When the newest completion of this parent was recorded (held, or told natively); undefined for none. */
export declare function lastCompletionAt(state: BgState, parentSessionId: string): number | undefined;
export declare function undeliveredBatches(state: BgState, parentSessionId?: string): Batch[];
/** Records one completion inside a transaction: the one way a completion enters a batch. */
export type RecordCompletion = (task: BackgroundTask) => EnqueueOutcome;
/** A plain recorder over `state` (tests, benchmarks); the notifiers wrap theirs to announce what it queued. */
export declare function recorderFor(state: BgState, now: number, limits: BatchLimits): RecordCompletion;
/**
 * Records a terminal task for its parent. The task record and the queued completion change together,
 * so a crash can never leave one without the other. Repeats of the same completion are ignored.
 */
export declare function enqueueCompletion(state: BgState, task: BackgroundTask, now: number, limits: BatchLimits): EnqueueOutcome;
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
export declare function dueBatches(state: BgState, now: number, limits: BatchLimits, options: Pick<ClaimOptions, "parentSessionId" | "batchId" | "force" | "knownWakeUps"> & {
    by?: string;
}): Batch[];
/** Marks due batches delivered and returns them; the caller prints them only after this commits. */
export declare function claimBatches(state: BgState, now: number, limits: BatchLimits, options: ClaimOptions): Batch[];
/** Undoes a claim: the batch is owed again, in its own place in line (what `claimBatches` set, unset). */
export declare function unclaimBatch(batch: Batch): void;
export declare function countBatch(tasks: readonly BackgroundTask[]): BatchCounts;
export declare function sentUnacknowledged(state: BgState, parentSessionId: string): Batch[];
