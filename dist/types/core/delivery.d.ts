import { type BatchLimits, type ClaimOptions } from "./batching.js";
import type { Batch, BgState, Delivery, DeliveryRoute } from "./types.js";
export interface RenderOptions {
    excerptChars?: number;
    charLimit?: number;
    runningCount?: RunningCount;
    /** The batching rule in force: with a hold, the notice says what it waited for. */
    limits?: BatchLimits;
    /** The tasks' own notices already stand in the conversation: a summary, one line per task. */
    brief?: boolean;
}
export declare function deliveriesFrom(state: BgState, batches: readonly Batch[], via: DeliveryRoute, options?: RenderOptions): Delivery[];
/** How many of a parent's tasks still run; by default, those the state holds as pending or running. */
export type RunningCount = (parentSessionId: string) => number;
export interface DeliveryRequest extends Omit<ClaimOptions, "by"> {
    runningCount?: RunningCount;
    /** Total characters the delivered texts may take (one hook output); later batches stay owed. */
    charBudget?: number;
    excerptChars?: number;
    brief?: boolean;
}
/** Claims what the request covers, marks it delivered by `by`, and renders it. */
export declare function claimDeliveries(state: BgState, now: number, limits: BatchLimits, by: string, request: DeliveryRequest): Delivery[];
