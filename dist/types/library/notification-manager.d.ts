import type { BackgroundTask } from "../core/types.js";
import { type HookEventBus } from "./event-bus.js";
/** The design's configuration: window in ms from a batch's first item, and the size that flushes at once. */
export type NotificationConfig = {
    batchWindow?: number;
    maxBatchSize?: number;
};
/** Beyond the design: an injected clock, the running-task count behind `allComplete`, the log's source. */
export interface NotificationManagerOptions {
    now?: () => number;
    /** How many of a parent's tasks still run (the BackgroundManager passes its own count). Default 0. */
    stillRunning?: (parentSessionId: string) => number;
    resultExcerptChars?: number;
    /** `source` of the persisted records; the design's `background-manager`. */
    source?: string;
}
export declare class NotificationManager {
    private readonly bus;
    private readonly limits;
    private readonly options;
    private readonly now;
    private state;
    private readonly timers;
    constructor(config?: NotificationConfig, eventBus?: HookEventBus, options?: NotificationManagerOptions);
    getEventBus(): HookEventBus;
    /** Completions of this parent waiting for their batch to flush. */
    pendingCount(parentSessionId: string): number;
    /**
     * Queues a finished task for its parent's batch. `background_task_completed` is dispatched before
     * this returns; a repeat of a completion already queued or delivered is ignored.
     */
    notify(task: BackgroundTask): void;
    /** Delivers every batch this parent is owed now, window open or not. */
    flushParent(parentSessionId: string): void;
    flushAll(): void;
    /** Drops every queued completion without delivering it, and stops the timers. */
    clear(): void;
    private source;
    private flush;
}
/** The design's factory. */
export declare function createNotificationManager(config?: NotificationConfig, eventBus?: HookEventBus): NotificationManager;
