// What the parent was told, and by whom: completions Claude Code told itself, sent batches seen received
// or owed again, and held completions a resume must correct.

import { findBatchOf, stableId, unclaimBatch } from "./batching.js";
import { completionKey, isSentUnacknowledged, taskKey } from "./state.js";
import type { BackgroundTask, Batch, BgState, DeliveryRoute, Teller } from "./types.js";

export type NativeDeliveryOutcome =
  | { kind: "told"; key: string; batchId: string }
  | { kind: "duplicate"; key: string };

/**
 * A completion Claude Code tells the parent itself (a notice inside a running turn, which must not be
 * blocked): recorded as already delivered, and taken out of any batch still waiting, so it is told once.
 */
export function recordNativeDelivery(
  state: BgState,
  task: BackgroundTask,
  now: number,
  via: DeliveryRoute,
  by: Teller = "claude-code",
): NativeDeliveryOutcome {
  const key = completionKey(task);
  const known = findBatchOf(state, key);
  if (known?.deliveredAt !== undefined) return { kind: "duplicate", key };
  if (known) {
    known.items = known.items.filter((item) => item.key !== key);
    if (known.items.length === 0) state.batches = state.batches.filter((b) => b !== known);
  }
  state.ledger[key] ??= now;
  state.tasks[taskKey(task.parentSessionId, task.id)] = task;
  const id = stableId("n-", `${task.parentSessionId}\n${key}`);
  state.batches.push({
    id,
    parentSessionId: task.parentSessionId,
    openedAt: now,
    items: [{ key, recordedAt: now, task }],
    deliveredAt: now,
    deliveredVia: via,
    toldBy: by,
  });
  return { kind: "told", key, batchId: id };
}

/** The parent received these batches (its echo prompt or transcript names them). */
export function acknowledgeBatches(state: BgState, batchIds: readonly string[], now: number): string[] {
  const acked: string[] = [];
  for (const batch of state.batches)
    if (batchIds.includes(batch.id) && isSentUnacknowledged(batch)) {
      batch.ackedAt = now;
      acked.push(batch.id);
    }
  return acked;
}

/** A sent batch that never reached the parent is owed again, whole, in its own place in line. */
export function reopenBatches(state: BgState, batchIds: readonly string[]): string[] {
  const reopened: string[] = [];
  for (const batch of state.batches)
    if (batchIds.includes(batch.id) && isSentUnacknowledged(batch)) {
      unclaimBatch(batch);
      reopened.push(batch.id);
    }
  return reopened;
}

/**
 * Tasks of this parent whose completion bg-notify held back and told in a combined notice, not yet
 * corrected on a resume: Claude Code finds no completion record for them and reports them "stopped".
 */
export function heldCompletionsToCorrect(
  state: BgState,
  parentSessionId: string,
): { batch: Batch; task: BackgroundTask }[] {
  const out: { batch: Batch; task: BackgroundTask }[] = [];
  for (const batch of state.batches) {
    if (batch.parentSessionId !== parentSessionId || batch.deliveredAt === undefined) continue;
    // Told by Claude Code, its notice was never held: Claude Code has the outcome. Every other was held.
    if (batch.toldBy === "claude-code" || batch.correctedAt !== undefined) continue;
    for (const item of batch.items) out.push({ batch, task: item.task });
  }
  return out;
}
