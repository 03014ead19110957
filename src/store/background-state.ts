// The design's state functions: load, save and clear a project's background state (state.json).
import { createEmptyState } from "../core/state.js";
import type { BgState } from "../core/types.js";
import { resolveStateDir } from "./paths.js";
import { readState, withLockedState } from "./transaction.js";

export function loadBackgroundState(dir: string = resolveStateDir(), warnings: string[] = []): BgState {
  return readState(dir, warnings);
}

export async function saveBackgroundState(state: BgState, dir: string = resolveStateDir()): Promise<void> {
  await withLockedState(dir, (current) => {
    Object.assign(current, structuredClone(state));
  });
}

export async function clearBackgroundState(dir: string = resolveStateDir()): Promise<void> {
  await withLockedState(dir, (current) => {
    Object.assign(current, createEmptyState());
  });
}
