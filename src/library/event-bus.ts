// In-process pub/sub for lifecycle events, plus the persisted event log (events.jsonl via the store).

import { randomUUID } from "node:crypto";
import { isoTime } from "../core/time.js";
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
  subscribe<K extends keyof HookEventMap & string>(
    type: K | "*",
    listener: HookEventListener<HookEventMap[K]>,
  ): () => void;
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

const RECENT_EVENTS = 1000;

export function createHookEventBus(options: EventBusOptions = {}): HookEventBus {
  const listeners = new Map<string, Set<HookEventListener<unknown>>>();
  const listenerErrors: unknown[] = [];
  const recent: EventRecord[] = [];
  const now = options.now ?? Date.now;
  return {
    listenerErrors,
    subscribe(type, listener) {
      const set = listeners.get(type) ?? new Set<HookEventListener<unknown>>();
      listeners.set(type, set);
      set.add(listener as HookEventListener<unknown>);
      return () => {
        set.delete(listener as HookEventListener<unknown>);
      };
    },
    dispatch(type, payload) {
      for (const key of [type, "*"]) {
        for (const listener of [...(listeners.get(key) ?? [])]) {
          try {
            listener(payload, type);
          } catch (error) {
            if (listenerErrors.length < 100) listenerErrors.push(error);
            options.onListenerError?.(error, type);
          }
        }
      }
    },
    emitToEventSystem({ type, payload, source }) {
      const record: EventRecord = {
        id: randomUUID(),
        time: isoTime(now()),
        type,
        payload,
        source,
      };
      options.store?.appendEvent(record);
      recent.push(record);
      if (recent.length > RECENT_EVENTS) recent.splice(0, recent.length - RECENT_EVENTS);
      return record;
    },
    recentEvents: () => [...recent],
  };
}

/** The design's `background_task_completed` payload for a finished task. */
export function completedPayload(task: BackgroundTask): BackgroundTaskCompletedPayload {
  return {
    taskId: task.id,
    ...(task.sessionId !== undefined ? { sessionId: task.sessionId } : {}),
    parentSessionId: task.parentSessionId,
    status: task.status,
    ...(task.result !== undefined ? { result: task.result } : {}),
    ...(task.error !== undefined ? { error: task.error } : {}),
  };
}

/** A delivered batch: `background_tasks_batch` to listeners, `background_tasks_notification` persisted. */
export function announceDeliveries(bus: HookEventBus, deliveries: readonly Delivery[], source: string): void {
  for (const d of deliveries) {
    const { count, completedCount, failedCount, cancelledCount } = d.counts;
    bus.dispatch("background_tasks_batch", {
      parentSessionId: d.parentSessionId,
      batchId: d.batchId,
      tasks: d.tasks,
      count,
      completedCount,
      failedCount,
      cancelledCount,
      stillRunning: d.stillRunning,
      allComplete: d.allComplete,
    });
    bus.emitToEventSystem({
      type: "background_tasks_notification",
      source,
      payload: {
        parentSessionId: d.parentSessionId,
        batchId: d.batchId,
        taskIds: d.tasks.map((t) => t.id),
        count,
        completedCount,
        failedCount,
        cancelledCount,
        via: d.via,
      },
    });
  }
}
