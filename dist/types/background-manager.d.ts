import { type ConcurrencyConfig, ConcurrencyManager } from "./concurrency-manager.js";
import { type NotificationManager } from "./notification-manager.js";
import type { StateStore } from "./store.js";
import type { BackgroundTask, TaskStatus } from "./types.js";
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
export interface BackgroundManagerOptions {
    store?: StateStore;
    notificationManager?: NotificationManager;
    concurrency?: ConcurrencyManager | ConcurrencyConfig;
    now?: () => number;
    staleTimeoutMs?: number;
    taskTtlMs?: number;
}
export declare class BackgroundManager {
    readonly store: StateStore;
    readonly notificationManager: NotificationManager;
    readonly concurrency: ConcurrencyManager;
    private readonly now;
    private readonly staleTimeoutMs;
    private readonly taskTtlMs;
    constructor(options?: BackgroundManagerOptions);
    getTask(id: string): Promise<BackgroundTask | undefined>;
    listTasks(filter?: {
        parentSessionId?: string;
        status?: TaskStatus;
    }): Promise<BackgroundTask[]>;
    /** Records a pending task and starts it at once when its concurrency key has a free slot. */
    launch(input: LaunchInput): Promise<BackgroundTask>;
    /** pending → running if a slot is free; returns undefined (still pending) when the key is at its limit. */
    startTask(id: string): Promise<BackgroundTask | undefined>;
    recordProgress(id: string): Promise<void>;
    completeTask(id: string, result?: string): Promise<BackgroundTask>;
    failTask(id: string, error: string): Promise<BackgroundTask>;
    cancelTask(id: string): Promise<BackgroundTask>;
    private requireTask;
    private finish;
    private startNextPending;
    /** Running tasks with no progress for longer than staleTimeoutMs. */
    findStaleTasks(): Promise<BackgroundTask[]>;
    /** Fails every stale task (each notifies once), returning the ones it failed. */
    failStaleTasks(): Promise<BackgroundTask[]>;
    /** Drops terminal tasks older than taskTtlMs. */
    pruneTasks(): Promise<void>;
    /** Flushes every pending notification first, then forgets all tasks. */
    clear(): Promise<void>;
    activeCount(parentSessionId?: string): Promise<number>;
}
export declare function getBackgroundManager(options?: BackgroundManagerOptions): BackgroundManager;
export declare function resetBackgroundManager(): void;
