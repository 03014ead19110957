// Background task lifecycle for one process: launch → start → complete | fail | cancel. Each terminal
// change releases the concurrency slot before the notification manager is told, exactly once.
import { randomUUID } from "node:crypto";
import { type ConcurrencyConfig, ConcurrencyManager } from "./concurrency-manager.js";
import { BgNotifyError, isBgNotifyError } from "./errors.js";
import { createMemoryStore } from "./memory-store.js";
import { createNotificationManager, type NotificationManager } from "./notification-manager.js";
import { pruneState, taskKey } from "./state.js";
import type { StateStore } from "./store.js";
import { canTransition, isActive, isStale, isTerminal, transitionTask } from "./task-lifecycle.js";
import type { BackgroundTask, BgState, TaskStatus } from "./types.js";

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

function findTask(state: BgState, id: string): BackgroundTask | undefined {
  return Object.values(state.tasks).find((t) => t.id === id);
}

export class BackgroundManager {
  readonly store: StateStore;
  readonly notificationManager: NotificationManager;
  readonly concurrency: ConcurrencyManager;
  private readonly now: () => number;
  private readonly staleTimeoutMs: number;
  private readonly taskTtlMs: number;

  constructor(options: BackgroundManagerOptions = {}) {
    this.store = options.store ?? options.notificationManager?.getStore() ?? createMemoryStore();
    this.now = options.now ?? Date.now;
    this.notificationManager =
      options.notificationManager ??
      createNotificationManager({ now: this.now, source: "background-manager" }, undefined, this.store);
    this.concurrency =
      options.concurrency instanceof ConcurrencyManager
        ? options.concurrency
        : new ConcurrencyManager(options.concurrency);
    this.staleTimeoutMs = options.staleTimeoutMs ?? 30 * 60 * 1000;
    this.taskTtlMs = options.taskTtlMs ?? 60 * 60 * 1000;
  }

  async getTask(id: string): Promise<BackgroundTask | undefined> {
    return findTask(await this.store.read(), id);
  }

  async listTasks(filter: { parentSessionId?: string; status?: TaskStatus } = {}): Promise<BackgroundTask[]> {
    const state = await this.store.read();
    return Object.values(state.tasks).filter(
      (t) =>
        (filter.parentSessionId === undefined || t.parentSessionId === filter.parentSessionId) &&
        (filter.status === undefined || t.status === filter.status),
    );
  }

  /** Records a pending task and starts it at once when its concurrency key has a free slot. */
  async launch(input: LaunchInput): Promise<BackgroundTask> {
    const now = this.now();
    const task: BackgroundTask = {
      id: input.id ?? randomUUID(),
      parentSessionId: input.parentSessionId,
      kind: input.kind ?? "agent",
      description: input.description,
      status: "pending",
      queuedAt: now,
      background: true,
      concurrencyKey: input.concurrencyKey ?? this.concurrency.keyFor(input.model),
    };
    for (const field of ["sessionId", "command", "agentType", "model", "outputFile"] as const) {
      if (input[field] !== undefined) task[field] = input[field];
    }
    await this.store.transact((state) => {
      const key = taskKey(task.parentSessionId, task.id);
      if (state.tasks[key]) throw new BgNotifyError("ETRANSITION", `task ${task.id} already exists`);
      state.tasks[key] = task;
    });
    return (await this.startTask(task.id)) ?? task;
  }

  /** pending → running if a slot is free; returns undefined (still pending) when the key is at its limit. */
  async startTask(id: string): Promise<BackgroundTask | undefined> {
    const task = await this.requireTask(id);
    if (task.status === "running") return task;
    // Checked before a slot is taken, so a finished task never holds one.
    const started = transitionTask(task, "running", this.now());
    const key = task.concurrencyKey ?? "default";
    const alreadyHeld = this.concurrency.running(key).includes(task.id);
    const slot = this.concurrency.acquire(key, task.id);
    if (!slot.allowed) return undefined;
    try {
      return await this.store.transact((state) => {
        const current = state.tasks[taskKey(task.parentSessionId, task.id)];
        // A concurrent start got there first: it holds the slot we share by task id.
        if (current?.status === "running") return current;
        if (current?.status !== "pending")
          throw new BgNotifyError("ETRANSITION", `task ${id} is no longer pending`);
        state.tasks[taskKey(task.parentSessionId, task.id)] = started;
        return started;
      });
    } catch (error) {
      if (!alreadyHeld) this.concurrency.release(key, task.id);
      throw error;
    }
  }

  async recordProgress(id: string): Promise<void> {
    const now = this.now();
    await this.store.transact((state) => {
      const task = findTask(state, id);
      if (task && task.status === "running") task.lastProgressAt = now;
    });
  }

  completeTask(id: string, result?: string): Promise<BackgroundTask> {
    return this.finish(id, "completed", result !== undefined ? { result } : {});
  }

  failTask(id: string, error: string): Promise<BackgroundTask> {
    return this.finish(id, "error", { error });
  }

  cancelTask(id: string): Promise<BackgroundTask> {
    return this.finish(id, "cancelled", {});
  }

  private async requireTask(id: string): Promise<BackgroundTask> {
    const task = await this.getTask(id);
    if (!task) throw new BgNotifyError("ENOTASK", `no background task ${id}`);
    return task;
  }

  private async finish(id: string, to: TaskStatus, patch: Partial<BackgroundTask>): Promise<BackgroundTask> {
    const task = await this.requireTask(id);
    const finished = transitionTask(task, to, this.now(), patch);
    const key = task.concurrencyKey ?? "default";
    // The slot goes back before anyone hears of the completion, so a listener may launch the next task.
    this.concurrency.release(key, task.id);
    // The status check, the terminal status and the recorded completion commit together: of two
    // racing finishers exactly one notifies, the other gets ETRANSITION.
    const commit = (state: BgState) => {
      const current = state.tasks[taskKey(task.parentSessionId, task.id)];
      if (!current) throw new BgNotifyError("ENOTASK", `no background task ${id}`);
      if (!canTransition(current.status, to) || (current.generation ?? 0) !== (task.generation ?? 0))
        throw new BgNotifyError("ETRANSITION", `task ${id} cannot go from ${current.status} to ${to}`);
      state.tasks[taskKey(task.parentSessionId, task.id)] = finished;
    };
    // notify() ignores a task without a parent before any transaction, so that one is persisted here.
    if (task.parentSessionId) await this.notificationManager.notify(finished, { precondition: commit });
    else await this.store.transact(commit);
    await this.startNextPending(key);
    return finished;
  }

  private async startNextPending(key: string): Promise<void> {
    const state = await this.store.read();
    const next = Object.values(state.tasks)
      .filter((t) => t.status === "pending" && (t.concurrencyKey ?? "default") === key)
      .sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0))[0];
    if (!next) return;
    try {
      await this.startTask(next.id);
    } catch (error) {
      // Started, cancelled or dropped by someone else meanwhile: nothing left to do here.
      if (!isBgNotifyError(error, "ETRANSITION") && !isBgNotifyError(error, "ENOTASK")) throw error;
    }
  }

  /** Running tasks with no progress for longer than staleTimeoutMs. */
  async findStaleTasks(): Promise<BackgroundTask[]> {
    const now = this.now();
    return (await this.listTasks()).filter((t) => isStale(t, now, this.staleTimeoutMs));
  }

  /** Fails every stale task (each notifies once), returning the ones it failed. */
  async failStaleTasks(): Promise<BackgroundTask[]> {
    const stale = await this.findStaleTasks();
    const failed: BackgroundTask[] = [];
    for (const task of stale) {
      try {
        failed.push(
          await this.failTask(
            task.id,
            `no progress for over ${Math.round(this.staleTimeoutMs / 1000)} s (stale)`,
          ),
        );
      } catch (error) {
        // It finished or vanished since the sweep looked: not stale after all, and the sweep goes on.
        if (!isBgNotifyError(error, "ETRANSITION") && !isBgNotifyError(error, "ENOTASK")) throw error;
      }
    }
    return failed;
  }

  /** Drops terminal tasks older than taskTtlMs. */
  async pruneTasks(): Promise<void> {
    const now = this.now();
    await this.store.transact((state) =>
      pruneState(state, now, { taskTtlMs: this.taskTtlMs, deliveredTtlMs: this.taskTtlMs }),
    );
  }

  /** Flushes every pending notification first, then forgets all tasks. */
  async clear(): Promise<void> {
    await this.notificationManager.flushAll({ via: "clear" });
    await this.notificationManager.clear();
    const state = await this.store.read();
    for (const task of Object.values(state.tasks)) {
      if (!isTerminal(task.status)) this.concurrency.release(task.concurrencyKey ?? "default", task.id);
    }
    await this.store.transact((s) => {
      s.tasks = {};
    });
  }

  async activeCount(parentSessionId?: string): Promise<number> {
    return (await this.listTasks(parentSessionId ? { parentSessionId } : {})).filter(isActive).length;
  }
}

let singleton: BackgroundManager | undefined;

export function getBackgroundManager(options?: BackgroundManagerOptions): BackgroundManager {
  singleton ??= new BackgroundManager(options);
  return singleton;
}

export function resetBackgroundManager(): void {
  singleton = undefined;
}
