// Concurrency tiers for background agents, as pure data and decisions: which tier a model belongs to,
// its limit, and whether one more may run. The library's ConcurrencyManager and the plugin both use it.

import { isActive } from "./lifecycle.js";
import { taskKey } from "./state.js";
import type { BackgroundTask, BgState } from "./types.js";

export interface ConcurrencyConfig {
  /** Per tier; 0 = unlimited. */
  modelConcurrency?: Record<string, number>;
  defaultConcurrency?: number;
}

/** The design's tiers: haiku 5, sonnet 3, opus 2; any other model gets DEFAULT_CONCURRENCY. */
export const DEFAULT_MODEL_CONCURRENCY: Readonly<Record<string, number>> = Object.freeze({
  haiku: 5,
  sonnet: 3,
  opus: 2,
});
export const DEFAULT_CONCURRENCY = 3;

export type Acquisition =
  | { allowed: true; key: string; limit: number; running: string[] }
  | { allowed: false; key: string; limit: number; running: string[]; reason: string };

/** The tier a model name belongs to: a configured key it contains (`claude-opus-5-5` → `opus`), else `default`. */
export function concurrencyKeyFor(
  model: string | undefined,
  keys: readonly string[] = Object.keys(DEFAULT_MODEL_CONCURRENCY),
): string {
  if (!model) return "default";
  const lower = model.toLowerCase();
  return keys.find((key) => lower.includes(key.toLowerCase())) ?? "default";
}

export function tierLimit(config: Required<ConcurrencyConfig>, key: string): number {
  // Own keys only: a key like "constructor" must not find Object.prototype's member.
  return Object.hasOwn(config.modelConcurrency, key)
    ? (config.modelConcurrency[key] ?? config.defaultConcurrency)
    : config.defaultConcurrency;
}

/** Whether one more task (or `taskId`, already holding a slot) may run in tier `key`. */
export function decideSlot(limit: number, key: string, running: string[], taskId?: string): Acquisition {
  if (limit === 0 || running.length < limit || (taskId !== undefined && running.includes(taskId))) {
    return { allowed: true, key, limit, running };
  }
  return {
    allowed: false,
    key,
    limit,
    running,
    reason: `${running.length} ${key} background task${running.length === 1 ? " is" : "s are"} already running (limit ${limit}): ${running.join(", ")}`,
  };
}

/** Labels of the recorded tasks running in tier `key` (hook processes share no memory, only state). */
export function runningInTier(
  tasks: readonly BackgroundTask[],
  key: string,
  keyOf: (model: string | undefined) => string,
): string[] {
  return tasks
    .filter((t) => isActive(t) && t.status === "running" && (t.concurrencyKey ?? keyOf(t.model)) === key)
    .map((t) => (t.description ? `${t.id} (${t.description})` : t.id));
}

/**
 * A background agent's slot, taken in PreToolUse's own transaction so that agents launched together
 * cannot all pass a check made before any of them was recorded. Kept apart from the tasks (keyed by the
 * tool call) until the call's PostToolUse, or for RESERVATION_TTL_MS when none comes (a denied call).
 */
export const RESERVATION_TTL_MS = 60_000;

/** The background agents a parent has running, by tier, as labels; with the slots of launches under way. */
export function tierUsage(
  state: BgState,
  parentSessionId: string,
  key: string,
  keyOf: (model: string | undefined) => string,
): string[] {
  const running = runningInTier(backgroundAgentsOf(state, parentSessionId), key, keyOf);
  for (const slot of Object.values(state.slots ?? {}))
    if (slot.parentSessionId === parentSessionId && slot.tier === key)
      running.push(`${slot.toolUseId} (${slot.description})`);
  return running;
}

/** What a parent's tier limits count, besides the slots: its background agents. */
export function backgroundAgentsOf(state: BgState, parentSessionId: string): BackgroundTask[] {
  return Object.values(state.tasks).filter(
    (t) => t.parentSessionId === parentSessionId && t.background === true && t.kind === "agent",
  );
}

export interface SlotRequest {
  parentSessionId: string;
  toolUseId: string;
  key: string;
  limit: number;
  description?: string;
}

/** Takes a slot in tier `request.key` if one is free (the same call again keeps its slot). */
export function reserveSlot(
  state: BgState,
  request: SlotRequest,
  now: number,
  keyOf: (model: string | undefined) => string,
): Acquisition {
  const slots = state.slots ?? {};
  for (const [key, slot] of Object.entries(slots)) if (now - slot.at > RESERVATION_TTL_MS) delete slots[key];
  const slotKey = taskKey(request.parentSessionId, request.toolUseId);
  const running = tierUsage(state, request.parentSessionId, request.key, keyOf);
  if (slots[slotKey]) return { allowed: true, key: request.key, limit: request.limit, running };
  const decision = decideSlot(request.limit, request.key, running);
  if (decision.allowed) {
    slots[slotKey] = {
      parentSessionId: request.parentSessionId,
      toolUseId: request.toolUseId,
      tier: request.key,
      description: request.description ?? "background agent being launched",
      at: now,
    };
    state.slots = slots;
  }
  if (state.slots && Object.keys(state.slots).length === 0) delete state.slots;
  return decision;
}

export function isSlotHeld(state: BgState, parentSessionId: string, toolUseId: string): boolean {
  return state.slots?.[taskKey(parentSessionId, toolUseId)] !== undefined;
}

/** The call's PostToolUse came: its slot passes to the launched agent (or back, if none launched). */
export function releaseSlot(state: BgState, parentSessionId: string, toolUseId: string): boolean {
  const key = taskKey(parentSessionId, toolUseId);
  if (!state.slots?.[key]) return false;
  delete state.slots[key];
  if (Object.keys(state.slots).length === 0) delete state.slots;
  return true;
}
