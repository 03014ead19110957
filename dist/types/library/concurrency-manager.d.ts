import { type Acquisition, type ConcurrencyConfig } from "../core/concurrency.js";
import type { BackgroundTask } from "../core/types.js";
export type { Acquisition, ConcurrencyConfig };
export declare class ConcurrencyManager {
    private readonly config;
    private readonly slots;
    constructor(config?: ConcurrencyConfig);
    keyFor(model: string | undefined): string;
    limitFor(key: string): number;
    running(key: string): string[];
    /** Takes an in-memory slot for `taskId` when one is free. */
    acquire(key: string, taskId: string): Acquisition;
    release(key: string, taskId: string): void;
    /** The same decision over recorded tasks (hook processes share no memory). Labels name the running tasks. */
    evaluate(tasks: readonly BackgroundTask[], key: string): Acquisition;
}
