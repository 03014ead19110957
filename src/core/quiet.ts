// What the hook launcher (hooks/run) may skip: a project with nothing owed to any parent, or with
// nothing running either, has hooks that would do nothing for a typed prompt, a foreground tool call
// or an idle Stop. The store keeps one flag file per fact (store/quiet-flags.ts).
import { isActive } from "./lifecycle.js";
import { isSentUnacknowledged } from "./state.js";
import type { BgState } from "./types.js";

export interface Quietness {
  /** No batch waits to be told, and none told by an acknowledged route waits to be seen received. */
  nothingOwed: boolean;
  /** No task of any parent is pending or running. */
  nothingRunning: boolean;
}

export function quietnessOf(state: BgState): Quietness {
  const nothingOwed = state.batches.every((b) => b.deliveredAt !== undefined && !isSentUnacknowledged(b));
  const nothingRunning = Object.values(state.tasks).every((t) => !isActive(t));
  return { nothingOwed, nothingRunning };
}
