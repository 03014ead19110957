// Limits on concurrently running background agents per key (model tier). In one process slots are held
// in memory; over the file store the counts are derived from the tasks recorded as running.
import { isActive } from "./task-lifecycle.js";
import type { BackgroundTask } from "./types.js";

export interface ConcurrencyConfig {
  /** Per key; 0 = unlimited. */
  modelConcurrency?: Record<string, number>;
  defaultConcurrency?: number;
}

export const DEFAULT_MODEL_CONCURRENCY: Readonly<Record<string, number>> = Object.freeze({
  haiku: 5,
  sonnet: 3,
  opus: 2,
});
export const DEFAULT_CONCURRENCY = 3;

export type Acquisition =
  | { allowed: true; key: string; limit: number; running: string[] }
  | { allowed: false; key: string; limit: number; running: string[]; reason: string };

/** The tier a model name belongs to: a configured key it contains (`claude-opus-5-5` → `opus`), else `default`. */
export function concurrencyKeyFor(
  model: string | undefined,
  keys: readonly string[] = Object.keys(DEFAULT_MODEL_CONCURRENCY),
): string {
  if (!model) return "default";
  const lower = model.toLowerCase();
  return keys.find((key) => lower.includes(key.toLowerCase())) ?? "default";
}

export class ConcurrencyManager {
  private readonly modelConcurrency: Record<string, number>;
  private readonly defaultConcurrency: number;
  private readonly slots = new Map<string, Set<string>>();

  constructor(config: ConcurrencyConfig = {}) {
    this.modelConcurrency = { ...DEFAULT_MODEL_CONCURRENCY, ...config.modelConcurrency };
    this.defaultConcurrency = config.defaultConcurrency ?? DEFAULT_CONCURRENCY;
  }

  keyFor(model: string | undefined): string {
    return concurrencyKeyFor(model, Object.keys(this.modelConcurrency));
  }

  limitFor(key: string): number {
    // Own keys only: a key like "constructor" must not find Object.prototype's member.
    return Object.hasOwn(this.modelConcurrency, key)
      ? (this.modelConcurrency[key] ?? this.defaultConcurrency)
      : this.defaultConcurrency;
  }

  running(key: string): string[] {
    return [...(this.slots.get(key) ?? [])];
  }

  private decide(key: string, running: string[], taskId?: string): Acquisition {
    const limit = this.limitFor(key);
    if (limit === 0 || running.length < limit || (taskId !== undefined && running.includes(taskId))) {
      return { allowed: true, key, limit, running };
    }
    return {
      allowed: false,
      key,
      limit,
      running,
      reason: `${running.length} ${key} background task${running.length === 1 ? " is" : "s are"} already running (limit ${limit}): ${running.join(", ")}`,
    };
  }

  /** Takes an in-memory slot for `taskId` when one is free. */
  acquire(key: string, taskId: string): Acquisition {
    const decision = this.decide(key, this.running(key), taskId);
    if (decision.allowed) {
      const set = this.slots.get(key) ?? new Set<string>();
      this.slots.set(key, set);
      set.add(taskId);
    }
    return decision;
  }

  release(key: string, taskId: string): void {
    this.slots.get(key)?.delete(taskId);
  }

  /** The same decision over recorded tasks (hook processes share no memory). Labels name the running tasks. */
  evaluate(tasks: readonly BackgroundTask[], key: string): Acquisition {
    const running = tasks
      .filter(
        (t) => isActive(t) && t.status === "running" && (t.concurrencyKey ?? this.keyFor(t.model)) === key,
      )
      .map((t) => (t.description ? `${t.id} (${t.description})` : t.id));
    return this.decide(key, running);
  }
}
