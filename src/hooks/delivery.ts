// Delivering owed batches into the parent's context from a hook that is already on its turn
// (a prompt, a tool result, session start): no extra wake-up is spent.
import { batchDueAt, undeliveredBatches } from "../batching.js";
import type { HookContext, HookResult } from "../hook-context.js";
import type { Delivery } from "../types.js";

/** Hook output over 10,000 characters is replaced by a file path; leave room for the framing. */
export const CONTEXT_CHAR_BUDGET = 9500;

export function joinDeliveries(deliveries: readonly Delivery[]): string {
  return deliveries.map((d) => d.text).join("\n\n");
}

export function contextOutput(event: string, text: string): HookResult {
  return { stdout: { hookSpecificOutput: { hookEventName: event, additionalContext: text } } };
}

/**
 * Claims what this session is owed (only what is due unless `force`) and returns it as context.
 * Reads lock-free first, so a hook with nothing owed touches one file and takes no lock.
 */
export async function deliverOwed(
  ctx: HookContext,
  sessionId: string,
  options: { force: boolean; via: string; allCompleteCounts?: boolean },
): Promise<Delivery[]> {
  const snapshot = await ctx.store.read();
  const owed = undeliveredBatches(snapshot, sessionId);
  if (owed.length === 0) return [];
  const now = ctx.now();
  if (!options.force && !owed.some((b) => batchDueAt(b, ctx.limits) <= now)) return [];
  return ctx.notifications.flushParent(sessionId, {
    force: options.force,
    via: options.via,
    charBudget: CONTEXT_CHAR_BUDGET,
  });
}
