// The design's NotificationManager: in-process, memory-backed, timer-driven batching of completions per
// parent. `notify` is synchronous; a batch flushes at maxBatchSize at once, or batchWindow ms after its
// first item (never extended). Same pure core as the hooks' DurableNotifier.
import { type BatchLimits, enqueueCompletion, undeliveredBatches } from "../core/batching.js";
import { claimDeliveries } from "../core/delivery.js";
import { createEmptyState, exceedsRetention, pruneState } from "../core/state.js";
import type { BackgroundTask, BgState, Delivery, DeliveryRoute } from "../core/types.js";
import { announceDeliveries, completedPayload, createHookEventBus, type HookEventBus } from "./event-bus.js";

/** The design's configuration: window in ms from a batch's first item, and the size that flushes at once. */
export type NotificationConfig = { batchWindow?: number; maxBatchSize?: number };

/** Beyond the design: an injected clock, the running-task count behind `allComplete`, the log's source. */
export interface NotificationManagerOptions {
  now?: () => number;
  /** How many of a parent's tasks still run (the BackgroundManager passes its own count). Default 0. */
  stillRunning?: (parentSessionId: string) => number;
  resultExcerptChars?: number;
  /** `source` of the persisted records; the design's `background-manager`. */
  source?: string;
}

const CLAIMANT = "notification-manager";
const RETENTION = { taskTtlMs: 60 * 60 * 1000, deliveredTtlMs: 60 * 60 * 1000 };

export class NotificationManager {
  private readonly bus: HookEventBus;
  private readonly limits: BatchLimits;
  private readonly options: NotificationManagerOptions;
  private readonly now: () => number;
  private state: BgState = createEmptyState();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    config: NotificationConfig = {},
    eventBus?: HookEventBus,
    options: NotificationManagerOptions = {},
  ) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.bus = eventBus ?? createHookEventBus({ now: this.now });
    this.limits = { batchWindowMs: config.batchWindow ?? 1000, maxBatchSize: config.maxBatchSize ?? 5 };
  }

  getEventBus(): HookEventBus {
    return this.bus;
  }

  /** Completions of this parent waiting for their batch to flush. */
  pendingCount(parentSessionId: string): number {
    return undeliveredBatches(this.state, parentSessionId).reduce((n, b) => n + b.items.length, 0);
  }

  /**
   * Queues a finished task for its parent's batch. `background_task_completed` is dispatched before
   * this returns; a repeat of a completion already queued or delivered is ignored.
   */
  notify(task: BackgroundTask): void {
    if (!task.parentSessionId) return;
    const outcome = enqueueCompletion(this.state, task, this.now(), this.limits);
    if (outcome.kind !== "queued") return;
    const payload = completedPayload(task);
    this.bus.dispatch("background_task_completed", payload);
    this.bus.emitToEventSystem({
      type: "background_task_completed",
      source: this.source(),
      payload: { ...payload, key: outcome.key, batchId: outcome.batchId },
    });
    if (outcome.batchFull) {
      this.flush({ parentSessionId: task.parentSessionId, force: true, via: "max-batch-size" });
    } else if (outcome.openedBatch) {
      const parentSessionId = task.parentSessionId;
      const batchId = outcome.batchId;
      this.timers.set(
        batchId,
        setTimeout(() => {
          this.timers.delete(batchId);
          // This batch alone: a later batch of the same parent keeps its own window.
          this.flush({ parentSessionId, batchId, force: true, via: "batch-window" });
        }, this.limits.batchWindowMs),
      );
    }
  }

  /** Delivers every batch this parent is owed now, window open or not. */
  flushParent(parentSessionId: string): void {
    this.flush({ parentSessionId, force: true, via: "flushParent" });
  }

  flushAll(): void {
    this.flush({ force: true, via: "flushAll" });
  }

  /** Drops every queued completion without delivering it, and stops the timers. */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.state = createEmptyState();
  }

  private source(): string {
    return this.options.source ?? "background-manager";
  }

  private flush(request: {
    parentSessionId?: string;
    batchId?: string;
    force: boolean;
    via: DeliveryRoute;
  }): Delivery[] {
    const deliveries = claimDeliveries(this.state, this.now(), this.limits, CLAIMANT, {
      ...request,
      runningCount: this.options.stillRunning ?? (() => 0),
      ...(this.options.resultExcerptChars !== undefined
        ? { excerptChars: this.options.resultExcerptChars }
        : {}),
    });
    // Delivered batches are not kept: the ledger alone remembers what was told, for deduplication.
    this.state.batches = this.state.batches.filter((b) => b.deliveredAt === undefined);
    if (exceedsRetention(this.state)) pruneState(this.state, this.now(), RETENTION);
    for (const d of deliveries) {
      const timer = this.timers.get(d.batchId);
      if (timer) clearTimeout(timer);
      this.timers.delete(d.batchId);
    }
    announceDeliveries(this.bus, deliveries, this.source());
    return deliveries;
  }
}

/** The design's factory. */
export function createNotificationManager(
  config?: NotificationConfig,
  eventBus?: HookEventBus,
): NotificationManager {
  return new NotificationManager(config, eventBus);
}
