import type { BackgroundTask, BgState, TaskStatus } from "../core/types.js";
import { ConcurrencyManager } from "./concurrency-manager.js";
import { type HookEventBus } from "./event-bus.js";
import { NotificationManager } from "./notification-manager.js";
/** The design's configuration keys. */
/** The design's configuration: every field optional, each missing one taken from the defaults below. */
export interface BackgroundConfig {
    notificationBatchWindow?: number;
    notificationMaxBatch?: number;
    modelConcurrency?: Record<string, number>;
    defaultConcurrency?: number;
    staleTimeoutMs?: number;
    taskTtlMs?: number;
}
export declare const DEFAULT_BACKGROUND_CONFIG: Readonly<Required<BackgroundConfig>>;
/** What the design leaves to the environment: a clock, a bus, where state persists. */
export interface BackgroundManagerOptions {
    now?: () => number;
    eventBus?: HookEventBus;
    /** Persist every change to this state directory (state.json under its lock), and start from it. */
    stateDir?: string;
    /** Or persist through this function (called after every change, in order). */
    persist?: (state: BgState) => void | Promise<void>;
}
export interface LaunchInput {
    id?: string;
    parentSessionId: string;
    sessionId?: string;
    kind?: BackgroundTask["kind"];
    description: string;
    command?: string;
    agentType?: string;
    model?: string;
    concurrencyKey?: string;
    outputFile?: string;
}
export declare class BackgroundManager {
    readonly config: Readonly<Required<BackgroundConfig>>;
    readonly concurrency: ConcurrencyManager;
    readonly notificationManager: NotificationManager;
    private readonly now;
    private readonly bus;
    private readonly persistFn;
    private state;
    private persisting;
    /** Failures of persistence, newest last (also dispatched as `bg_notify_error`). */
    readonly persistErrors: unknown[];
    constructor(config?: BackgroundConfig, options?: BackgroundManagerOptions);
    getEventBus(): HookEventBus;
    getTask(id: string): BackgroundTask | undefined;
    listTasks(filter?: {
        parentSessionId?: string;
        status?: TaskStatus;
    }): BackgroundTask[];
    /** Records a pending task and starts it at once when its tier has a free slot. An id in use throws. */
    launch(input: LaunchInput): BackgroundTask;
    /** pending → running if a slot is free; undefined while its tier is at its limit or it cannot start. */
    startTask(id: string): BackgroundTask | undefined;
    recordProgress(id: string): void;
    /** false when the task is unknown or already finished; true once it is completed and notified. */
    completeTask(id: string, result?: string): boolean;
    failTask(id: string, error: string): boolean;
    cancelTask(id: string): boolean;
    private keyOf;
    private finish;
    private startNextPending;
    /** Running tasks with no progress for longer than staleTimeoutMs. */
    findStaleTasks(): BackgroundTask[];
    /** Fails every stale task (each notifies once), returning the ones it failed. */
    failStaleTasks(): BackgroundTask[];
    /** Drops terminal tasks older than taskTtlMs. */
    pruneTasks(): void;
    /** Flushes every pending notification first, then forgets all tasks. */
    clear(): void;
    activeCount(parentSessionId?: string): number;
    /** Resolves once every change so far has been persisted (a no-op without persistence). */
    persisted(): Promise<void>;
    private persist;
}
/** The design's process-wide instance; `config` applies only to the call that creates it. */
export declare function getBackgroundManager(config?: BackgroundConfig, options?: BackgroundManagerOptions): BackgroundManager;
export declare function resetBackgroundManager(): void;
