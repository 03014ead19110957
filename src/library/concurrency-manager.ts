// The design's ConcurrencyManager: per-tier limits on running background agents (haiku 5 / sonnet 3 /
// opus 2 / default 3). Slots are held in memory in one process; `evaluate` decides over recorded tasks.
import {
  type Acquisition,
  type ConcurrencyConfig,
  concurrencyKeyFor,
  DEFAULT_CONCURRENCY,
  DEFAULT_MODEL_CONCURRENCY,
  decideSlot,
  runningInTier,
  tierLimit,
} from "../core/concurrency.js";
import type { BackgroundTask } from "../core/types.js";

export type { Acquisition, ConcurrencyConfig };

export class ConcurrencyManager {
  private readonly config: Required<ConcurrencyConfig>;
  private readonly slots = new Map<string, Set<string>>();

  constructor(config: ConcurrencyConfig = {}) {
    this.config = {
      modelConcurrency: { ...DEFAULT_MODEL_CONCURRENCY, ...config.modelConcurrency },
      defaultConcurrency: config.defaultConcurrency ?? DEFAULT_CONCURRENCY,
    };
  }

  keyFor(model: string | undefined): string {
    return concurrencyKeyFor(model, Object.keys(this.config.modelConcurrency));
  }

  limitFor(key: string): number {
    return tierLimit(this.config, key);
  }

  running(key: string): string[] {
    return [...(this.slots.get(key) ?? [])];
  }

  /** Takes an in-memory slot for `taskId` when one is free. */
  acquire(key: string, taskId: string): Acquisition {
    const decision = decideSlot(this.limitFor(key), key, this.running(key), taskId);
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
    return decideSlot(
      this.limitFor(key),
      key,
      runningInTier(tasks, key, (m) => this.keyFor(m)),
    );
  }
}
