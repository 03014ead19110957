import type { EventRecord, StateStore } from "./store.js";
import type { BackgroundTask } from "./types.js";
export interface BackgroundTaskCompletedPayload {
    taskId: string;
    sessionId?: string;
    parentSessionId: string;
    status: BackgroundTask["status"];
    result?: string;
    error?: string;
}
export interface BackgroundTasksBatchPayload {
    parentSessionId: string;
    batchId: string;
    tasks: BackgroundTask[];
    count: number;
    completedCount: number;
    failedCount: number;
    cancelledCount: number;
    stillRunning: number;
    allComplete: boolean;
}
export interface BackgroundTasksNotificationPayload {
    parentSessionId: string;
    batchId: string;
    taskIds: string[];
    count: number;
    completedCount: number;
    failedCount: number;
    cancelledCount: number;
    via?: string;
}
export interface HookEventMap {
    background_task_completed: BackgroundTaskCompletedPayload;
    background_tasks_batch: BackgroundTasksBatchPayload;
    background_tasks_notification: BackgroundTasksNotificationPayload;
    [type: string]: unknown;
}
export type HookEventListener<P> = (payload: P, type: string) => void;
export interface EmitInput {
    type: string;
    payload: unknown;
    source: string;
}
export interface HookEventBus {
    subscribe<K extends keyof HookEventMap & string>(type: K | "*", listener: HookEventListener<HookEventMap[K]>): () => void;
    /** Calls every listener synchronously; one listener's throw never stops the others. */
    dispatch<K extends keyof HookEventMap & string>(type: K, payload: HookEventMap[K]): void;
    /** Appends one record to the persisted event log. */
    emitToEventSystem(input: EmitInput): EventRecord;
    readonly listenerErrors: unknown[];
}
export interface EventBusOptions {
    store?: StateStore;
    now?: () => number;
    onListenerError?: (error: unknown, type: string) => void;
}
export declare function createHookEventBus(options?: EventBusOptions): HookEventBus;
