// What every hook handler is given: configuration, the store, a notification manager over it, the clock.
// Production defaults come from the process; tests pass their own.
import type { HookInput } from "../claude/hook-input.js";
import type { HookResult } from "../claude/hook-output.js";
import type { BatchLimits } from "../core/batching.js";
import { limitsFrom } from "../core/config.js";
import { exceedsRetention, pruneState } from "../core/state.js";
import type { BgNotifyConfig } from "../core/types.js";
import { DurableNotifier } from "../library/durable-notifier.js";
import { createHookEventBus } from "../library/event-bus.js";
import { loadConfig } from "../store/config-file.js";
import { createFileStore } from "../store/file-store.js";
import { resolveStateLayout } from "../store/paths.js";
import type { StateStore } from "../store/types.js";
import { QUEUED_INPUTS } from "./inbox-fold.js";
import { clockFromEnv } from "./virtual-clock.js";

export type { HookResult };

export interface HookContext {
  env: NodeJS.ProcessEnv;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  stateDir: string;
  config: BgNotifyConfig;
  limits: BatchLimits;
  store: StateStore;
  /** Records completions (announcing each) and claims batches: the one way into and out of a batch. */
  notifications: DurableNotifier;
  /**
   * When this hook process received its input, on the real clock (unset in tests and under a virtual
   * clock). A completion is stamped with it, so its batch window runs from the notice's arrival, not
   * from whenever node had started up and the lock was free (docs/PERFORMANCE.md, wake latency).
   */
  receivedAt?: number;
  /** Survived problems to surface as one line each. */
  warnings: string[];
  /** Problems that hold for the whole session (a config file that cannot be used): said once. */
  standing: string[];
}

export interface HookContextOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Lock retries; 0 = fail at once if held. */
  lockRetries?: number;
  source?: string;
  /** When the input reached the hook process (see runHookProcess); ignored when `now` is given or virtual. */
  receivedAt?: number;
}

export type HookHandler = (input: HookInput, ctx: HookContext) => Promise<HookResult>;

export function createHookContext(options: HookContextOptions = {}): HookContext {
  const env = options.env ?? process.env;
  // `bg-notify replay --instant` names a virtual clock in the environment; otherwise the real one.
  const virtual = options.now === undefined ? clockFromEnv(env) : undefined;
  const now = options.now ?? virtual?.now ?? Date.now;
  const dirOptions = { env, ...(options.cwd !== undefined ? { cwd: options.cwd } : {}) };
  const { config, warnings } = loadConfig(dirOptions);
  const layout = resolveStateLayout(dirOptions);
  const stateDir = layout.dir;
  const fileStore = createFileStore({
    layout,
    now,
    inbox: QUEUED_INPUTS,
    ...(options.lockRetries !== undefined ? { retries: options.lockRetries } : {}),
  });
  // A change that leaves more history than pruneState keeps prunes it in the same transaction: pruning
  // at session start alone would let a long session grow the file every hook reads and parses.
  const store: StateStore = {
    ...fileStore,
    transact: (update) =>
      fileStore.transact((state) => {
        const result = update(state);
        if (exceedsRetention(state)) pruneState(state, now(), config);
        return result;
      }),
  };
  const limits: BatchLimits = limitsFrom(config);
  const source = options.source ?? "hook";
  // Built on first use: most hook runs (nothing owed, nothing to log) never need it.
  let notifications: DurableNotifier | undefined;
  return {
    env,
    now,
    sleep: options.sleep ?? virtual?.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    stateDir,
    config,
    limits,
    store,
    get notifications() {
      notifications ??= new DurableNotifier(
        store,
        {
          batchWindow: config.batchWindowMs,
          maxBatchSize: config.maxBatchSize,
          ...(limits.hold ? { hold: limits.hold } : {}),
          resultExcerptChars: config.resultExcerptChars,
          now,
          source,
        },
        createHookEventBus({ store, now }),
      );
      return notifications;
    },
    ...(options.receivedAt !== undefined && options.now === undefined && !virtual
      ? { receivedAt: Math.min(Math.round(options.receivedAt), Date.now()) }
      : {}),
    warnings: [],
    standing: warnings,
  };
}
