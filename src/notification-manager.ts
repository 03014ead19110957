// Per-parent batching of task completions: `notify` queues, a batch flushes when it reaches
// maxBatchSize or batchWindow ms after its first item. With the memory store real timers drive the
// window; hook processes over the file store evaluate it lazily through `flushDue`.
import { randomBytes } from "node:crypto";
import {
  activeTasksOf,
  type BatchLimits,
  claimBatches,
  countBatch,
  type EnqueueOutcome,
  enqueueCompletion,
} from "./batching.js";
import { createHookEventBus, type HookEventBus } from "./event-bus.js";
import { createMemoryStore } from "./memory-store.js";
import { NOTICE_CHAR_LIMIT, renderNotice } from "./notice.js";
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

/** Below this, a further batch would be cut to uselessness: it waits for the next delivery point. */
const MIN_NOTICE_ROOM = 1500;

export type NotifyResult = EnqueueOutcome & { flushed: Delivery[] };

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

export function deliveriesFrom(
  state: BgState,
  batches: readonly Batch[],
  via: string,
  excerptChars?: number,
  charLimit?: number,
): Delivery[] {
  return batches.map((batch) => {
    const tasks = batch.items.map((item) => item.task);
    const counts = countBatch(tasks);
    const stillRunning = activeTasksOf(state, batch.parentSessionId).length;
    const text = renderNotice({
      batchId: batch.id,
      tasks,
      counts,
      stillRunning,
      ...(excerptChars !== undefined ? { excerptChars } : {}),
      ...(charLimit !== undefined ? { limit: charLimit } : {}),
    });
    return {
      batchId: batch.id,
      parentSessionId: batch.parentSessionId,
      tasks,
      counts,
      stillRunning,
      allComplete: stillRunning === 0,
      via,
      text,
    };
  });
}

export function createNotificationManager(
  config: NotificationManagerConfig = {},
  eventBus?: HookEventBus,
  store?: StateStore,
): NotificationManager {
  const backing = store ?? createMemoryStore();
  const now = config.now ?? Date.now;
  const bus = eventBus ?? createHookEventBus({ store: backing, now });
  const limits: BatchLimits = {
    batchWindowMs: config.batchWindow ?? 1000,
    maxBatchSize: config.maxBatchSize ?? 5,
  };
  const useTimers = config.timers ?? backing.kind === "memory";
  const source = config.source ?? "notification-manager";
  const claimant = `${source}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function announce(deliveries: Delivery[]): void {
    for (const d of deliveries) {
      const timer = timers.get(d.batchId);
      if (timer) clearTimeout(timer);
      timers.delete(d.batchId);
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

  type ClaimRequest = FlushOptions & { parentSessionId?: string; at?: number };

  /** Marks what the request covers delivered, inside the caller's transaction. */
  function claimIn(state: BgState, options: ClaimRequest, via: string): Delivery[] {
    const at = options.at ?? now();
    const claimOptions = {
      ...(options.parentSessionId !== undefined ? { parentSessionId: options.parentSessionId } : {}),
      force: options.force ?? true,
      via,
      by: claimant,
    };
    if (options.charBudget === undefined) {
      const limit = options.limit !== undefined ? { limit: options.limit } : {};
      return deliveriesFrom(
        state,
        claimBatches(state, at, limits, { ...claimOptions, ...limit }),
        via,
        config.resultExcerptChars,
      );
    }
    const out: Delivery[] = [];
    let room = options.charBudget;
    while (room >= MIN_NOTICE_ROOM && (options.limit === undefined || out.length < options.limit)) {
      const [batch] = claimBatches(state, at, limits, { ...claimOptions, limit: 1 });
      if (!batch) break;
      const [delivery] = deliveriesFrom(
        state,
        [batch],
        via,
        config.resultExcerptChars,
        Math.min(NOTICE_CHAR_LIMIT, room),
      );
      if (!delivery) break;
      out.push(delivery);
      room -= delivery.text.length + 2;
    }
    return out;
  }

  async function claim(options: ClaimRequest, defaultVia: string): Promise<Delivery[]> {
    const via = options.via ?? defaultVia;
    const deliveries = await backing.transact((state) => claimIn(state, options, via));
    announce(deliveries);
    return deliveries;
  }

  const manager: NotificationManager = {
    limits,
    getEventBus: () => bus,
    getStore: () => backing,

    async notify(task, options = {}) {
      if (!task.parentSessionId)
        return { kind: "ignored", reason: "task has no parent session", flushed: [] };
      const at = now();
      // A batch this completion fills is claimed in the same commit: one lock round trip, not two.
      const { outcome, flushed } = await backing.transact((state) => {
        options.precondition?.(state);
        const enqueued = enqueueCompletion(state, task, at, limits);
        const full = enqueued.kind === "queued" && enqueued.batchFull;
        const claimed = full
          ? claimIn(state, { parentSessionId: task.parentSessionId, force: false, at }, "max-batch-size")
          : [];
        return { outcome: enqueued, flushed: claimed };
      });
      if (outcome.kind !== "queued") return { ...outcome, flushed: [] };
      const payload = {
        taskId: task.id,
        ...(task.sessionId !== undefined ? { sessionId: task.sessionId } : {}),
        parentSessionId: task.parentSessionId,
        status: task.status,
        ...(task.result !== undefined ? { result: task.result } : {}),
        ...(task.error !== undefined ? { error: task.error } : {}),
      };
      bus.dispatch("background_task_completed", payload);
      bus.emitToEventSystem({
        type: "background_task_completed",
        source,
        payload: { ...payload, key: outcome.key, batchId: outcome.batchId },
      });
      announce(flushed);
      if (!outcome.batchFull && useTimers && outcome.openedBatch) {
        const parent = task.parentSessionId;
        const closesAt = at + limits.batchWindowMs;
        const timer = setTimeout(() => {
          timers.delete(outcome.batchId);
          // The timer is the window: a timer may fire a little before the wall clock says the window
          // closed, and the batch would then wait for a flush that no timer will ever trigger.
          const flushAt = Math.max(now(), closesAt);
          claim({ parentSessionId: parent, force: false, at: flushAt }, "batch-window").catch((error) => {
            bus.dispatch("bg_notify_error", { error: String(error) });
          });
        }, limits.batchWindowMs);
        timers.set(outcome.batchId, timer);
      }
      return { ...outcome, flushed };
    },

    flushParent: (parentSessionId, options = {}) => claim({ ...options, parentSessionId }, "flushParent"),
    flushAll: (options = {}) => claim(options, "flushAll"),
    flushDue: (at) => claim({ force: false, ...(at !== undefined ? { at } : {}) }, "flushDue"),

    async clear() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await backing.transact((state) => {
        state.batches = state.batches.filter((b) => b.deliveredAt !== undefined);
      });
    },
  };
  return manager;
}
