import { type BatchLimits, type EnqueueOutcome, type HoldPolicy } from "../core/batching.js";
import type { BackgroundTask, BgState, Delivery, DeliveryRoute } from "../core/types.js";
import type { StateStore } from "../store/types.js";
import { type HookEventBus } from "./event-bus.js";
export interface DurableNotifierConfig {
    batchWindow?: number;
    maxBatchSize?: number;
    /** Waiting for siblings, when the plugin's configuration asks for it. */
    hold?: HoldPolicy;
    resultExcerptChars?: number;
    now?: () => number;
    /** Who records and flushes, for the ledger and the event log. */
    source?: string;
    /** The name its claims carry; by default the source, the process and a random part. */
    claimant?: string;
}
/** Records one completion inside the caller's transaction; what it queues is announced after the commit. */
export type RecordCompletion = (task: BackgroundTask) => EnqueueOutcome;
export interface FlushOptions {
    /** Deliver batches whose window has not closed yet too (default true for flushParent/flushAll). */
    force?: boolean;
    limit?: number;
    via?: DeliveryRoute;
    /** Total characters the delivered texts may take (one hook output); later batches stay owed. */
    charBudget?: number;
    /** The tasks' own notices already stand in the conversation: tell a summary (see renderNotice). */
    brief?: boolean;
    /** Take nothing if a wake-up other than these went out (see ClaimOptions). */
    knownWakeUps?: readonly string[];
}
export declare class DurableNotifier {
    readonly limits: BatchLimits;
    private readonly store;
    private readonly bus;
    private readonly now;
    private readonly source;
    private readonly excerptChars;
    private claimant;
    constructor(store: StateStore, config?: DurableNotifierConfig, eventBus?: HookEventBus);
    getEventBus(): HookEventBus;
    getStore(): StateStore;
    /**
     * A transaction in which the caller may record completions (the one way a completion enters a batch).
     * Each one queued is dispatched and persisted as `background_task_completed` once the update ran.
     */
    transact<T>(update: (state: BgState, record: RecordCompletion) => T, at?: number): Promise<T>;
    /** Records one completion; a repeat of one already recorded changes nothing. */
    notify(task: BackgroundTask, at?: number): Promise<EnqueueOutcome>;
    flushParent(parentSessionId: string, options?: FlushOptions): Promise<Delivery[]>;
    flushAll(options?: FlushOptions): Promise<Delivery[]>;
    /** Delivers every batch whose window has closed, for any parent. */
    flushDue(at?: number): Promise<Delivery[]>;
    /** Drops every undelivered batch without delivering it. */
    clear(): Promise<void>;
    private claim;
}
