import { clip, defined, FIELD_CHARS } from "../core/guards.js";
import { taskKey } from "../core/state.js";
import type { BackgroundTask, BgState } from "../core/types.js";
import { noteRunningTurn } from "./track-turns.js";

export interface LaunchInfo {
  id: string;
  kind: "shell" | "agent";
  description?: string;
  command?: string;
  agentType?: string;
  model?: string;
  outputFile?: string;
  toolUseId?: string;
  concurrencyKey?: string;
  /** The subagent whose tool call launched it (the hook input's `agent_id`). */
  ownerAgentId?: string;
  /** The parent's turn that launched it (the hook input's `prompt_id`). */
  turnId?: string;
  /** How long the launching tool call took (the hook input's `duration_ms`). */
  toolMs?: number;
}

/**
 * A launch, whether its PostToolUse ran node or was queued by the launcher (src/store/launch-inbox.ts):
 * the task, running, and the parent's turn that launched it. `at` is when the launch reached the hook.
 */
export function recordLaunch(
  state: BgState,
  parentSessionId: string,
  launch: LaunchInfo,
  at: number,
): BackgroundTask {
  const task = registerLaunch(state, parentSessionId, launch, at);
  noteRunningTurn(state, parentSessionId, launch.turnId, at);
  return task;
}

/** A background task Claude Code just launched, now running. */
export function registerLaunch(
  state: BgState,
  parentSessionId: string,
  launch: LaunchInfo,
  now: number,
): BackgroundTask {
  const key = taskKey(parentSessionId, launch.id);
  const existing = state.tasks[key];
  const info = defined({
    description: clip(launch.description, FIELD_CHARS.description),
    command: clip(launch.command, FIELD_CHARS.command),
    agentType: clip(launch.agentType, FIELD_CHARS.id),
    model: clip(launch.model, FIELD_CHARS.id),
    outputFile: clip(launch.outputFile, FIELD_CHARS.path),
    toolUseId: clip(launch.toolUseId, FIELD_CHARS.id),
    concurrencyKey: launch.concurrencyKey,
    ownerAgentId: launch.ownerAgentId,
    turnId: clip(launch.turnId, FIELD_CHARS.id),
  });
  if (existing) {
    // SubagentStart may have come first; the launch adds what it knows and confirms "background".
    const merged = { ...existing, ...info, background: true };
    state.tasks[key] = merged;
    return merged;
  }
  // `now` is when the launch reached the hook; the task began when the tool call did.
  const startedAt = now - Math.round(launch.toolMs ?? 0);
  const task: BackgroundTask = {
    id: launch.id,
    parentSessionId,
    kind: launch.kind,
    description: launch.description ?? launch.id,
    status: "running",
    queuedAt: startedAt,
    startedAt,
    lastProgressAt: now,
    background: true,
    ...info,
  };
  // Folded in after a later Stop's list left it out (the launcher queues launches without waiting): it
  // had ended by then, and its notice is on its way. It does not count as running meanwhile.
  const listing = state.listed?.[parentSessionId];
  if (listing && listing.at >= startedAt && task.ownerAgentId === undefined && !listing.ids.includes(task.id))
    task.vanishedAt = listing.at;
  state.tasks[key] = task;
  return task;
}

/** The tier of the parent's most recent agent, for a launch that names no model. */
export function lastAgentModel(state: BgState, parentSessionId: string): string | undefined {
  let latest: BackgroundTask | undefined;
  for (const task of Object.values(state.tasks)) {
    if (task.parentSessionId !== parentSessionId || task.kind !== "agent" || !task.model) continue;
    if (!latest || (task.startedAt ?? 0) >= (latest.startedAt ?? 0)) latest = task;
  }
  return latest?.model;
}
