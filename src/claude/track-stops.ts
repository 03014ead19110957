// What no notice tells: Claude Code's `background_tasks` listing reconciled, stops a tool result or the
// transcript reports, and whatever a session leaves running when it ends.

import { releaseSlot } from "../core/concurrency.js";
import { clip, FIELD_CHARS } from "../core/guards.js";
import { isActive, statusFromClaude } from "../core/lifecycle.js";
import { taskKey } from "../core/state.js";
import { type NativeDeliveryOutcome, recordNativeDelivery } from "../core/told.js";
import type { BackgroundTask, BgState } from "../core/types.js";
import type { BackgroundTaskEntry, HookInput } from "./hook-input.js";
import type { ParsedNotice } from "./task-notification.js";
import { taskFromNotice } from "./track-notices.js";

/**
 * SessionEnd (the process exits): Claude Code stops the session's background work with it and, on a
 * resume, reports it stopped itself. Nothing of this session counts as running afterwards: a subagent's
 * own work ends quietly, the parent's is recorded as told by Claude Code (never held, never summarised).
 */
export function endSessionWork(state: BgState, parentSessionId: string, now: number): string[] {
  // No PostToolUse comes for a launch under way when its session ends: its slot goes too.
  for (const slot of Object.values(state.slots ?? {}))
    if (slot.parentSessionId === parentSessionId) releaseSlot(state, parentSessionId, slot.toolUseId);
  const ended: string[] = [];
  for (const [key, task] of Object.entries(state.tasks)) {
    if (task.parentSessionId !== parentSessionId || !isActive(task)) continue;
    const stopped: BackgroundTask = {
      ...task,
      status: "cancelled",
      originalStatus: "stopped",
      completedAt: now,
      summary: "stopped when its session ended (Claude Code reports it on a resume)",
    };
    delete stopped.vanishedAt;
    if (task.ownerAgentId !== undefined || task.background !== true) state.tasks[key] = stopped;
    else recordNativeDelivery(state, stopped, now, "native-out-of-band");
    ended.push(task.id);
  }
  return ended;
}

/**
 * Stops Claude Code tells the model itself (a user's `stop_task`: its "killed" notice goes through no
 * hook and starts no turn; the transcript queues it at once): recorded as told natively, so nothing
 * counts the task as running any more and no batch tells it again. Returns the ids recorded.
 */
export function recordQueuedStops(
  state: BgState,
  parentSessionId: string,
  notices: readonly ParsedNotice[],
  now: number,
): string[] {
  const stopped: string[] = [];
  for (const notice of notices) {
    const known = state.tasks[taskKey(parentSessionId, notice.taskId)];
    if (!known || !isActive(known) || notice.noticeKind !== "completion") continue;
    if (statusFromClaude(notice.status) !== "cancelled") continue;
    recordNativeDelivery(
      state,
      taskFromNotice(state, parentSessionId, notice, now),
      now,
      "native-out-of-band",
    );
    stopped.push(notice.taskId);
  }
  return stopped;
}

/** Claude Code's own list of the parent's in-flight background work (Stop, SubagentStop), if the input has one. */
export function listedBackgroundTasks(input: HookInput): readonly BackgroundTaskEntry[] | undefined {
  return input.background_tasks;
}

/** Whether reconciling would change anything: a listed task we do not know, or one of ours that left. */
export function needsReconcile(
  state: BgState,
  parentSessionId: string,
  listed: readonly BackgroundTaskEntry[],
): boolean {
  return (
    listed.some((t) => !state.tasks[taskKey(parentSessionId, t.id)]) ||
    Object.values(state.tasks).some(
      (t) =>
        t.parentSessionId === parentSessionId &&
        t.background === true &&
        isActive(t) &&
        (!listed.some((l) => l.id === t.id) || t.vanishedAt !== undefined),
    )
  );
}

export interface ReconcileResult {
  registered: string[];
  vanished: string[];
  /** Tasks that left the list without a notice, past the grace period: recorded as stopped. */
  stopped: string[];
}

/** A listing keeps this many task ids at most (Claude Code lists what runs: a handful). */
const LISTED_IDS_MAX = 200;

/**
 * Stop's `background_tasks` is Claude Code's view of what still runs. A task that leaves it without a
 * notice through UserPromptSubmit was stopped: by the model (TaskStop, whose result tells the model and
 * which PostToolUse records at once) or by the user or an app (`stop_task`: Claude Code hands the model
 * its own "killed" notice on the next request, through no hook). After a grace period (a completion's
 * notice may trail its leaving the list) it is recorded as stopped and told natively, never held and
 * never reported as "unknown"; a completion notice that still comes later is recorded as usual.
 */
export function reconcileBackgroundTasks(
  state: BgState,
  parentSessionId: string,
  listed: readonly BackgroundTaskEntry[],
  now: number,
  graceMs: number,
): ReconcileResult {
  const result: ReconcileResult = { registered: [], vanished: [], stopped: [] };
  const listedIds = new Set(listed.map((t) => t.id));
  state.listed ??= {};
  state.listed[parentSessionId] = {
    at: now,
    ids: [...listedIds].map((id) => clip(id, FIELD_CHARS.id) as string).slice(0, LISTED_IDS_MAX),
  };
  for (const entry of listed) {
    // A Monitor's events and end pass to the parent untouched: bg-notify neither holds nor counts them.
    if (entry.type === "monitor") continue;
    const key = taskKey(parentSessionId, entry.id);
    const known = state.tasks[key];
    if (known) {
      if (known.vanishedAt !== undefined) delete known.vanishedAt;
      if (!known.background && isActive(known)) known.background = true;
      continue;
    }
    const kind = entry.type === "shell" ? "shell" : "agent";
    state.tasks[key] = {
      id: entry.id,
      parentSessionId,
      kind,
      description: clip(entry.description, FIELD_CHARS.description) ?? entry.id,
      status: "running",
      startedAt: now,
      lastProgressAt: now,
      background: true,
      ...(entry.command ? { command: clip(entry.command, FIELD_CHARS.command) as string } : {}),
      ...(entry.agent_type ? { agentType: clip(entry.agent_type, FIELD_CHARS.id) as string } : {}),
    };
    result.registered.push(entry.id);
  }
  for (const [key, task] of Object.entries(state.tasks)) {
    if (task.parentSessionId !== parentSessionId || !isActive(task) || task.background !== true) continue;
    // A subagent's own work is not in Claude Code's list.
    if (task.ownerAgentId !== undefined) continue;
    if (listedIds.has(task.id)) continue;
    if (task.vanishedAt === undefined) {
      task.vanishedAt = now;
      result.vanished.push(task.id);
      continue;
    }
    if (now - task.vanishedAt < graceMs) continue;
    const stopped: BackgroundTask = {
      ...task,
      status: "cancelled",
      originalStatus: "stopped",
      completedAt: task.vanishedAt,
      summary: "stopped outside this session's turns (Claude Code reports the stop to the model itself)",
    };
    delete stopped.vanishedAt;
    delete state.tasks[key];
    recordNativeDelivery(state, stopped, now, "native-out-of-band");
    result.stopped.push(task.id);
  }
  return result;
}

/**
 * The model stopped a background task itself (TaskStop): it is cancelled, and told by that tool's own
 * result in the running turn, so it is recorded as told and never batched or woken for.
 */
export function recordModelStop(
  state: BgState,
  parentSessionId: string,
  taskId: string,
  now: number,
): NativeDeliveryOutcome | undefined {
  const known = state.tasks[taskKey(parentSessionId, taskId)];
  if (!known || !isActive(known)) return undefined;
  const stopped: BackgroundTask = {
    ...known,
    status: "cancelled",
    originalStatus: "killed",
    completedAt: now,
    summary: "stopped by the model (TaskStop)",
  };
  delete stopped.vanishedAt;
  return recordNativeDelivery(state, stopped, now, "native-in-turn");
}
