import type { HookContext, HookResult } from "../hook-context.js";
import type { Delivery } from "../types.js";
/** Hook output over 10,000 characters is replaced by a file path; leave room for the framing. */
export declare const CONTEXT_CHAR_BUDGET = 9500;
export declare function joinDeliveries(deliveries: readonly Delivery[]): string;
export declare function contextOutput(event: string, text: string): HookResult;
/**
 * Claims what this session is owed (only what is due unless `force`) and returns it as context.
 * Reads lock-free first, so a hook with nothing owed touches one file and takes no lock.
 */
export declare function deliverOwed(ctx: HookContext, sessionId: string, options: {
    force: boolean;
    via: string;
    allCompleteCounts?: boolean;
}): Promise<Delivery[]>;
