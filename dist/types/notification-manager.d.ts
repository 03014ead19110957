import { type BatchLimits, type EnqueueOutcome } from "./batching.js";
import { type HookEventBus } from "./event-bus.js";
import type { StateStore } from "./store.js";
import type { BackgroundTask, Batch, BgState, Delivery } from "./types.js";
export interface NotificationManagerConfig {
    batchWindow?: number;
    maxBatchSize?: number;
    /** Run the window on real timers; defaults to true for the memory store, false for the file store. */
    timers?: boolean;
    resultExcerptChars?: number;
    now?: () => number;
    /** Who flushes, for the ledger and the event log. */
    source?: string;
}
export type NotifyResult = EnqueueOutcome & {
    flushed: Delivery[];
};
export interface FlushOptions {
    /** Deliver batches whose window has not closed yet too (default true for flushParent/flushAll). */
    force?: boolean;
    limit?: number;
    via?: string;
    /** Total characters the delivered texts may take (one hook output); later batches stay owed. */
    charBudget?: number;
}
export interface NotifyOptions {
    /**
     * Runs inside the transaction that records the completion, on the current state; a throw aborts it
     * and nothing is recorded or dispatched. Lets a caller make "still running → finished" atomic.
     */
    precondition?: (state: BgState) => void;
}
export interface NotificationManager {
    notify(task: BackgroundTask, options?: NotifyOptions): Promise<NotifyResult>;
    flushParent(parentSessionId: string, options?: FlushOptions): Promise<Delivery[]>;
    flushAll(options?: FlushOptions): Promise<Delivery[]>;
    /** Delivers every batch whose window has closed, for any parent. */
    flushDue(now?: number): Promise<Delivery[]>;
    /** Drops every undelivered batch without delivering it, and stops the timers. */
    clear(): Promise<void>;
    getEventBus(): HookEventBus;
    getStore(): StateStore;
    readonly limits: BatchLimits;
}
export declare function deliveriesFrom(state: BgState, batches: readonly Batch[], via: string, excerptChars?: number, charLimit?: number): Delivery[];
export declare function createNotificationManager(config?: NotificationManagerConfig, eventBus?: HookEventBus, store?: StateStore): NotificationManager;
