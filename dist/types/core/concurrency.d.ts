import type { BackgroundTask, BgState } from "./types.js";
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
/**
 * A background agent's slot, taken in PreToolUse's own transaction so that agents launched together
 * cannot all pass a check made before any of them was recorded. Kept apart from the tasks (keyed by the
 * tool call) until the call's PostToolUse, or for RESERVATION_TTL_MS when none comes (a denied call).
 */
export declare const RESERVATION_TTL_MS = 60000;
/** The background agents a parent has running, by tier, as labels; with the slots of launches under way. */
export declare function tierUsage(state: BgState, parentSessionId: string, key: string, keyOf: (model: string | undefined) => string): string[];
/** What a parent's tier limits count, besides the slots: its background agents. */
export declare function backgroundAgentsOf(state: BgState, parentSessionId: string): BackgroundTask[];
export interface SlotRequest {
    parentSessionId: string;
    toolUseId: string;
    key: string;
    limit: number;
    description?: string;
}
/** Takes a slot in tier `request.key` if one is free (the same call again keeps its slot). */
export declare function reserveSlot(state: BgState, request: SlotRequest, now: number, keyOf: (model: string | undefined) => string): Acquisition;
export declare function isSlotHeld(state: BgState, parentSessionId: string, toolUseId: string): boolean;
/** The call's PostToolUse came: its slot passes to the launched agent (or back, if none launched). */
export declare function releaseSlot(state: BgState, parentSessionId: string, toolUseId: string): boolean;
