import type { BackgroundTask } from "./types.js";
export interface ConcurrencyConfig {
    /** Per tier; 0 = unlimited. */
    modelConcurrency?: Record<string, number>;
    defaultConcurrency?: number;
}
/** The design's tiers: haiku 5, sonnet 3, opus 2; any other model gets DEFAULT_CONCURRENCY. */
export declare const DEFAULT_MODEL_CONCURRENCY: Readonly<Record<string, number>>;
export declare const DEFAULT_CONCURRENCY = 3;
export type Acquisition = {
    allowed: true;
    key: string;
    limit: number;
    running: string[];
} | {
    allowed: false;
    key: string;
    limit: number;
    running: string[];
    reason: string;
};
/** The tier a model name belongs to: a configured key it contains (`claude-opus-5-5` → `opus`), else `default`. */
export declare function concurrencyKeyFor(model: string | undefined, keys?: readonly string[]): string;
export declare function tierLimit(config: Required<ConcurrencyConfig>, key: string): number;
/** Whether one more task (or `taskId`, already holding a slot) may run in tier `key`. */
export declare function decideSlot(limit: number, key: string, running: string[], taskId?: string): Acquisition;
/** Labels of the recorded tasks running in tier `key` (hook processes share no memory, only state). */
export declare function runningInTier(tasks: readonly BackgroundTask[], key: string, keyOf: (model: string | undefined) => string): string[];
