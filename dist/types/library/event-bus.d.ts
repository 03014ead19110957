import type { BackgroundTask, Delivery } from "../core/types.js";
import type { EventRecord, StateStore } from "../store/types.js";
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
    /** Appends one record to the persisted event log (the store's, when the bus has one). */
    emitToEventSystem(input: EmitInput): EventRecord;
    /** The last records emitted through this bus, oldest first (at most 1,000), whether or not a store keeps them. */
    recentEvents(): EventRecord[];
    readonly listenerErrors: unknown[];
}
export interface EventBusOptions {
    store?: StateStore;
    now?: () => number;
    onListenerError?: (error: unknown, type: string) => void;
}
export declare function createHookEventBus(options?: EventBusOptions): HookEventBus;
/** The design's `background_task_completed` payload for a finished task. */
export declare function completedPayload(task: BackgroundTask): BackgroundTaskCompletedPayload;
/** A delivered batch: `background_tasks_batch` to listeners, `background_tasks_notification` persisted. */
export declare function announceDeliveries(bus: HookEventBus, deliveries: readonly Delivery[], source: string): void;
