import type { BackgroundTask, BgNotifyConfig, BgState } from "./types.js";
export declare const STATE_VERSION = 1;
export declare function createEmptyState(now?: number): BgState;
export type StateParseResult = {
    ok: true;
    state: BgState;
} | {
    ok: false;
    reason: string;
};
/** Validates parsed JSON as state; never throws. */
export declare function parseState(value: unknown): StateParseResult;
export declare function taskKey(parentSessionId: string, taskId: string): string;
export declare function completionKey(task: BackgroundTask): string;
/**
 * Whether the history holds more than `pruneState` keeps, whatever the ages: hooks check this on every
 * change and prune then, so a long session's file (which every hook reads) stays bounded.
 */
export declare function exceedsRetention(state: BgState): boolean;
/** Drops what no longer matters so the file, and every hook's parse of it, stays small. */
export declare function pruneState(state: BgState, now: number, config: Pick<BgNotifyConfig, "taskTtlMs" | "deliveredTtlMs">): void;
