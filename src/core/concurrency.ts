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
 * cannot all pass a check made before any of them was recorded. Kept as a task of this kind (keyed by
 * the tool call) until the call's PostToolUse, or for RESERVATION_TTL_MS when none comes (a denied call).
 */
export const SLOT_KIND = "agent-slot";
export const RESERVATION_TTL_MS = 60_000;

export function isSlot(task: BackgroundTask): boolean {
  return task.kind === SLOT_KIND;
}

/** What a parent's tier limits count: its background agents, and the slots of launches under way. */
export function backgroundAgentsOf(state: BgState, parentSessionId: string): BackgroundTask[] {
  return Object.values(state.tasks).filter(
    (t) =>
      t.parentSessionId === parentSessionId && t.background === true && (t.kind === "agent" || isSlot(t)),
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
  for (const [key, task] of Object.entries(state.tasks))
    if (isSlot(task) && now - (task.queuedAt ?? 0) > RESERVATION_TTL_MS) delete state.tasks[key];
  const slotKey = taskKey(request.parentSessionId, request.toolUseId);
  const agents = backgroundAgentsOf(state, request.parentSessionId);
  const held = state.tasks[slotKey];
  const running = runningInTier(agents, request.key, keyOf);
  if (held && isSlot(held)) return { allowed: true, key: request.key, limit: request.limit, running };
  const decision = decideSlot(request.limit, request.key, running);
  if (decision.allowed)
    state.tasks[slotKey] = {
      id: request.toolUseId,
      parentSessionId: request.parentSessionId,
      kind: SLOT_KIND,
      description: request.description ?? "background agent being launched",
      status: "running",
      queuedAt: now,
      startedAt: now,
      background: true,
      concurrencyKey: request.key,
    };
  return decision;
}

/** The call's PostToolUse came: its slot passes to the launched agent (or back, if none launched). */
export function releaseSlot(state: BgState, parentSessionId: string, toolUseId: string): boolean {
  const key = taskKey(parentSessionId, toolUseId);
  const task = state.tasks[key];
  if (!task || !isSlot(task)) return false;
  delete state.tasks[key];
  return true;
}
