import type { BackgroundTask } from "./types.js";
export interface ConcurrencyConfig {
    /** Per key; 0 = unlimited. */
    modelConcurrency?: Record<string, number>;
    defaultConcurrency?: number;
}
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
export declare class ConcurrencyManager {
    private readonly modelConcurrency;
    private readonly defaultConcurrency;
    private readonly slots;
    constructor(config?: ConcurrencyConfig);
    keyFor(model: string | undefined): string;
    limitFor(key: string): number;
    running(key: string): string[];
    private decide;
    /** Takes an in-memory slot for `taskId` when one is free. */
    acquire(key: string, taskId: string): Acquisition;
    release(key: string, taskId: string): void;
    /** The same decision over recorded tasks (hook processes share no memory). Labels name the running tasks. */
    evaluate(tasks: readonly BackgroundTask[], key: string): Acquisition;
}
