// The design's BackgroundManager: background task lifecycle in one process (launch → start → complete |
// fail | cancel). A terminal change releases the concurrency slot, persists, then notifies exactly once.
import { randomUUID } from "node:crypto";
import { DEFAULT_CONCURRENCY, DEFAULT_MODEL_CONCURRENCY } from "../core/concurrency.js";
import { BgNotifyError } from "../core/errors.js";
import { canTransition, isActive, isStale, isTerminal, transitionTask } from "../core/lifecycle.js";
import { createEmptyState, pruneState, taskKey } from "../core/state.js";
import type { BackgroundTask, BgState, TaskStatus } from "../core/types.js";
import { loadBackgroundState, saveBackgroundState } from "../store/background-state.js";
import { ConcurrencyManager } from "./concurrency-manager.js";
import { createHookEventBus, type HookEventBus } from "./event-bus.js";
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

export const DEFAULT_BACKGROUND_CONFIG: Readonly<Required<BackgroundConfig>> = Object.freeze({
  notificationBatchWindow: 1000,
  notificationMaxBatch: 5,
  modelConcurrency: { ...DEFAULT_MODEL_CONCURRENCY },
  defaultConcurrency: DEFAULT_CONCURRENCY,
  staleTimeoutMs: 30 * 60 * 1000,
  taskTtlMs: 60 * 60 * 1000,
});

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

export class BackgroundManager {
  readonly config: Readonly<Required<BackgroundConfig>>;
  readonly concurrency: ConcurrencyManager;
  readonly notificationManager: NotificationManager;
  private readonly now: () => number;
  private readonly bus: HookEventBus;
  private readonly persistFn: ((state: BgState) => void | Promise<void>) | undefined;
  private state: BgState;
  private persisting: Promise<void> = Promise.resolve();
  /** Failures of persistence, newest last (also dispatched as `bg_notify_error`). */
  readonly persistErrors: unknown[] = [];

  constructor(config: BackgroundConfig = {}, options: BackgroundManagerOptions = {}) {
    const given = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
    this.config = {
      ...DEFAULT_BACKGROUND_CONFIG,
      ...given,
      modelConcurrency: { ...DEFAULT_BACKGROUND_CONFIG.modelConcurrency, ...config.modelConcurrency },
    };
    this.now = options.now ?? Date.now;
    this.bus = options.eventBus ?? createHookEventBus({ now: this.now });
    this.concurrency = new ConcurrencyManager(this.config);
    this.notificationManager = new NotificationManager(
      { batchWindow: this.config.notificationBatchWindow, maxBatchSize: this.config.notificationMaxBatch },
      this.bus,
      { now: this.now, stillRunning: (parent) => this.activeCount(parent), source: "background-manager" },
    );
    const dir = options.stateDir;
    this.persistFn = options.persist ?? (dir !== undefined ? (s) => saveBackgroundState(s, dir) : undefined);
    this.state = dir !== undefined ? loadBackgroundState(dir) : createEmptyState();
    // A running task from an earlier process holds its slot again.
    for (const task of Object.values(this.state.tasks))
      if (task.status === "running") this.concurrency.acquire(this.keyOf(task), task.id);
  }

  getEventBus(): HookEventBus {
    return this.bus;
  }

  getTask(id: string): BackgroundTask | undefined {
    return Object.values(this.state.tasks).find((t) => t.id === id);
  }

  listTasks(filter: { parentSessionId?: string; status?: TaskStatus } = {}): BackgroundTask[] {
    return Object.values(this.state.tasks).filter(
      (t) =>
        (filter.parentSessionId === undefined || t.parentSessionId === filter.parentSessionId) &&
        (filter.status === undefined || t.status === filter.status),
    );
  }

  /** Records a pending task and starts it at once when its tier has a free slot. An id in use throws. */
  launch(input: LaunchInput): BackgroundTask {
    const task: BackgroundTask = {
      id: input.id ?? randomUUID(),
      parentSessionId: input.parentSessionId,
      kind: input.kind ?? "agent",
      description: input.description,
      status: "pending",
      queuedAt: this.now(),
      background: true,
      concurrencyKey: input.concurrencyKey ?? this.concurrency.keyFor(input.model),
    };
    for (const field of ["sessionId", "command", "agentType", "model", "outputFile"] as const) {
      if (input[field] !== undefined) task[field] = input[field];
    }
    if (this.getTask(task.id))
      throw new BgNotifyError("ETRANSITION", `background task ${task.id} already exists`);
    this.state.tasks[taskKey(task.parentSessionId, task.id)] = task;
    this.persist();
    return this.startTask(task.id) ?? task;
  }

  /** pending → running if a slot is free; undefined while its tier is at its limit or it cannot start. */
  startTask(id: string): BackgroundTask | undefined {
    const task = this.getTask(id);
    if (!task) return undefined;
    if (task.status === "running") return task;
    if (!canTransition(task.status, "running")) return undefined;
    if (!this.concurrency.acquire(this.keyOf(task), task.id).allowed) return undefined;
    const started = transitionTask(task, "running", this.now());
    this.state.tasks[taskKey(task.parentSessionId, task.id)] = started;
    this.persist();
    return started;
  }

  recordProgress(id: string): void {
    const task = this.getTask(id);
    if (task?.status !== "running") return;
    task.lastProgressAt = this.now();
    this.persist();
  }

  /** false when the task is unknown or already finished; true once it is completed and notified. */
  completeTask(id: string, result?: string): boolean {
    return this.finish(id, "completed", result !== undefined ? { result } : {});
  }

  failTask(id: string, error: string): boolean {
    return this.finish(id, "error", { error });
  }

  cancelTask(id: string): boolean {
    return this.finish(id, "cancelled", {});
  }

  private keyOf(task: BackgroundTask): string {
    return task.concurrencyKey ?? this.concurrency.keyFor(task.model);
  }

  private finish(id: string, to: TaskStatus, patch: Partial<BackgroundTask>): boolean {
    const task = this.getTask(id);
    if (!task || !canTransition(task.status, to)) return false;
    const finished = transitionTask(task, to, this.now(), patch);
    const key = this.keyOf(task);
    // The slot goes back before anyone hears of the completion, so a listener may launch the next task.
    this.concurrency.release(key, task.id);
    this.state.tasks[taskKey(task.parentSessionId, task.id)] = finished;
    this.persist();
    this.notificationManager.notify(finished);
    this.startNextPending(key);
    return true;
  }

  private startNextPending(key: string): void {
    const next = this.listTasks({ status: "pending" })
      .filter((t) => this.keyOf(t) === key)
      .sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0))[0];
    if (next) this.startTask(next.id);
  }

  /** Running tasks with no progress for longer than staleTimeoutMs. */
  findStaleTasks(): BackgroundTask[] {
    const now = this.now();
    return this.listTasks().filter((t) => isStale(t, now, this.config.staleTimeoutMs));
  }

  /** Fails every stale task (each notifies once), returning the ones it failed. */
  failStaleTasks(): BackgroundTask[] {
    const reason = `no progress for over ${Math.round(this.config.staleTimeoutMs / 1000)} s (stale)`;
    const failed: BackgroundTask[] = [];
    for (const task of this.findStaleTasks()) {
      if (this.failTask(task.id, reason)) failed.push(this.getTask(task.id) as BackgroundTask);
    }
    return failed;
  }

  /** Drops terminal tasks older than taskTtlMs. */
  pruneTasks(): void {
    pruneState(this.state, this.now(), {
      taskTtlMs: this.config.taskTtlMs,
      deliveredTtlMs: this.config.taskTtlMs,
    });
    this.persist();
  }

  /** Flushes every pending notification first, then forgets all tasks. */
  clear(): void {
    this.notificationManager.flushAll();
    this.notificationManager.clear();
    for (const task of Object.values(this.state.tasks)) {
      if (!isTerminal(task.status)) this.concurrency.release(this.keyOf(task), task.id);
    }
    this.state.tasks = {};
    this.persist();
  }

  activeCount(parentSessionId?: string): number {
    return this.listTasks(parentSessionId ? { parentSessionId } : {}).filter(isActive).length;
  }

  /** Resolves once every change so far has been persisted (a no-op without persistence). */
  persisted(): Promise<void> {
    return this.persisting;
  }

  private persist(): void {
    const persistFn = this.persistFn;
    if (!persistFn) return;
    const snapshot = structuredClone(this.state);
    this.persisting = this.persisting
      .then(() => persistFn(snapshot))
      .catch((error: unknown) => {
        if (this.persistErrors.length < 100) this.persistErrors.push(error);
        this.bus.dispatch("bg_notify_error", { error: String(error) });
      });
  }
}

let singleton: BackgroundManager | undefined;

/** The design's process-wide instance; `config` applies only to the call that creates it. */
export function getBackgroundManager(
  config?: BackgroundConfig,
  options?: BackgroundManagerOptions,
): BackgroundManager {
  singleton ??= new BackgroundManager(config, options);
  return singleton;
}

export function resetBackgroundManager(): void {
  singleton?.notificationManager.clear();
  singleton = undefined;
}
