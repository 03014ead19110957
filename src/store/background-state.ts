// The design's state functions: load, save and clear a project's background state (state.json).
import { createEmptyState } from "../core/state.js";
import type { BgState } from "../core/types.js";
import { resolveStateDir } from "./paths.js";
import { readState, withLockedState } from "./transaction.js";

/** The state as the design knows it: the store's own record of its commits stays the store's. */
function withoutBookkeeping(state: BgState): BgState {
  const { commits: _commits, journal: _journal, ...rest } = state;
  return rest;
}

export function loadBackgroundState(dir: string = resolveStateDir(), warnings: string[] = []): BgState {
  return withoutBookkeeping(readState(dir, warnings));
}

export async function saveBackgroundState(state: BgState, dir: string = resolveStateDir()): Promise<void> {
  await withLockedState(dir, (current) => {
    Object.assign(current, withoutBookkeeping(structuredClone(state)));
  });
}

export async function clearBackgroundState(dir: string = resolveStateDir()): Promise<void> {
  await withLockedState(dir, (current) => {
    Object.assign(current, createEmptyState());
  });
}
