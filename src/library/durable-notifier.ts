// The hooks' notifier: completions recorded in a durable store shared by many short-lived processes,
// batches delivered lazily by whichever hook finds one due. The same pure core as NotificationManager;
// async, because every step is a locked transaction.
import { randomBytes } from "node:crypto";
import {
  type BatchLimits,
  type EnqueueOutcome,
  enqueueCompletion,
  type HoldPolicy,
} from "../core/batching.js";
import { claimDeliveries, type DeliveryRequest } from "../core/delivery.js";
import type { BackgroundTask, BgState, Delivery, DeliveryRoute } from "../core/types.js";
import type { StateStore } from "../store/types.js";
import { announceDeliveries, completedPayload, createHookEventBus, type HookEventBus } from "./event-bus.js";

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

export class DurableNotifier {
  readonly limits: BatchLimits;
  private readonly store: StateStore;
  private readonly bus: HookEventBus;
  private readonly now: () => number;
  private readonly source: string;
  private readonly excerptChars: number | undefined;
  private claimant: string | undefined;

  constructor(store: StateStore, config: DurableNotifierConfig = {}, eventBus?: HookEventBus) {
    this.store = store;
    this.now = config.now ?? Date.now;
    this.bus = eventBus ?? createHookEventBus({ store, now: this.now });
    this.limits = {
      batchWindowMs: config.batchWindow ?? 1000,
      maxBatchSize: config.maxBatchSize ?? 5,
      ...(config.hold ? { hold: config.hold } : {}),
    };
    this.source = config.source ?? "notifier";
    this.excerptChars = config.resultExcerptChars;
    this.claimant = config.claimant;
  }

  getEventBus(): HookEventBus {
    return this.bus;
  }

  getStore(): StateStore {
    return this.store;
  }

  /**
   * A transaction in which the caller may record completions (the one way a completion enters a batch).
   * Each one queued is dispatched and persisted as `background_task_completed` once the update ran.
   */
  async transact<T>(update: (state: BgState, record: RecordCompletion) => T, at?: number): Promise<T> {
    let queued: { task: BackgroundTask; key: string; batchId: string }[] = [];
    const result = await this.store.transact((state) => {
      queued = [];
      const when = at ?? this.now();
      return update(state, (task) => {
        const outcome = enqueueCompletion(state, task, when, this.limits);
        if (outcome.kind === "queued") queued.push({ task, key: outcome.key, batchId: outcome.batchId });
        return outcome;
      });
    });
    for (const { task, key, batchId } of queued) {
      const payload = completedPayload(task);
      this.bus.dispatch("background_task_completed", payload);
      this.bus.emitToEventSystem({
        type: "background_task_completed",
        source: this.source,
        payload: { ...payload, key, batchId },
      });
    }
    return result;
  }

  /** Records one completion; a repeat of one already recorded changes nothing. */
  notify(task: BackgroundTask, at?: number): Promise<EnqueueOutcome> {
    return this.transact((_state, record) => record(task), at);
  }

  flushParent(parentSessionId: string, options: FlushOptions = {}): Promise<Delivery[]> {
    return this.claim({ ...options, parentSessionId }, "flushParent");
  }

  flushAll(options: FlushOptions = {}): Promise<Delivery[]> {
    return this.claim(options, "flushAll");
  }

  /** Delivers every batch whose window has closed, for any parent. */
  flushDue(at?: number): Promise<Delivery[]> {
    return this.claim({ force: false }, "flushDue", at);
  }

  /** Drops every undelivered batch without delivering it. */
  async clear(): Promise<void> {
    await this.store.transact((state) => {
      state.batches = state.batches.filter((b) => b.deliveredAt !== undefined);
    });
  }

  private async claim(
    options: FlushOptions & { parentSessionId?: string },
    defaultVia: DeliveryRoute,
    at?: number,
  ): Promise<Delivery[]> {
    // Drawn on first claim: most hook runs never claim, and a random id costs a read of the CSPRNG.
    this.claimant ??= `${this.source}:${process.pid}:${randomBytes(3).toString("hex")}`;
    const request: DeliveryRequest = {
      force: options.force ?? true,
      via: options.via ?? defaultVia,
      ...(options.parentSessionId !== undefined ? { parentSessionId: options.parentSessionId } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.charBudget !== undefined ? { charBudget: options.charBudget } : {}),
      ...(this.excerptChars !== undefined ? { excerptChars: this.excerptChars } : {}),
      ...(options.brief ? { brief: true } : {}),
      ...(options.knownWakeUps ? { knownWakeUps: options.knownWakeUps } : {}),
    };
    const claimant = this.claimant;
    const deliveries = await this.store.transact((state) =>
      claimDeliveries(state, at ?? this.now(), this.limits, claimant, request),
    );
    announceDeliveries(this.bus, deliveries, this.source);
    return deliveries;
  }
}
