import type { BatchLimits } from "./batching.js";
import { type NotificationManager } from "./notification-manager.js";
import { type StateStore } from "./store.js";
import type { BgNotifyConfig } from "./types.js";
export interface HookContext {
    env: NodeJS.ProcessEnv;
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    stateDir: string;
    config: BgNotifyConfig;
    limits: BatchLimits;
    store: StateStore;
    notifications: NotificationManager;
    /**
     * When this hook process received its input, on the real clock (unset in tests and under a virtual
     * clock). A completion is stamped with it, so its batch window runs from the notice's arrival, not
     * from whenever node had started up and the lock was free (docs/PERFORMANCE.md, wake latency).
     */
    receivedAt?: number;
    /** Survived problems to surface as one line each. */
    warnings: string[];
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
export interface HookResult {
    stdout?: Record<string, unknown>;
    stderr?: string;
    exitCode?: 0 | 2;
}
export type HookHandler = (input: import("./hook-input.js").HookInput, ctx: HookContext) => Promise<HookResult>;
export declare function createHookContext(options?: HookContextOptions): HookContext;
