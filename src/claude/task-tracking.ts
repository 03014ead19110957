// Pure updates that turn what Claude Code tells hooks (launches, subagent stops, notices, the list of
// background tasks at Stop) into task records and queued completions.

import {
  activeTasksOf,
  type EnqueueOutcome,
  findBatchOf,
  type NativeDeliveryOutcome,
  type RecordCompletion,
  recordNativeDelivery,
  undeliveredBatches,
} from "../core/batching.js";
import { releaseSlot } from "../core/concurrency.js";
import { clip, defined, FIELD_CHARS } from "../core/guards.js";
import { ENDED_WITHOUT_NOTICE, isActive, resumeTask, statusFromClaude } from "../core/lifecycle.js";
import { decideArrival, isInsideRunningTurn, wakeUpPending } from "../core/protocol.js";
import { completionKey, taskKey } from "../core/state.js";
import type { BackgroundTask, BgState } from "../core/types.js";
import type { BackgroundTaskEntry, HookInput } from "./hook-input.js";
import type { ParsedNotice } from "./task-notification.js";

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

/** The terminal task a notice describes, merged with what we knew from its launch. */
export function taskFromNotice(
  state: BgState,
  parentSessionId: string,
  notice: ParsedNotice,
  now: number,
): BackgroundTask {
  const known = state.tasks[taskKey(parentSessionId, notice.taskId)];
  const status = statusFromClaude(notice.status);
  const base: BackgroundTask = known ?? {
    id: notice.taskId,
    parentSessionId,
    kind: notice.kind,
    description: notice.description ?? notice.taskId,
    status: "running",
  };
  const task: BackgroundTask = {
    ...base,
    kind: known?.kind ?? notice.kind,
    status,
    originalStatus: notice.status,
    background: true,
    completedAt: now,
  };
  delete task.vanishedAt;
  if (known && !isActive(known) && known.originalStatus === "unknown")
    task.generation = known.generation ?? 0;
  const extra = defined({
    toolUseId: clip(notice.toolUseId, FIELD_CHARS.id),
    outputFile: clip(notice.outputFile, FIELD_CHARS.path),
    summary: clip(notice.summary, FIELD_CHARS.summary),
    exitCode: notice.exitCode,
    usage: notice.usage,
  });
  Object.assign(task, extra);
  if (notice.result !== undefined) {
    if (status === "error") task.error = clip(notice.result);
    else task.result = clip(notice.result);
  } else if (status === "error" && !task.error) {
    task.error = clip(notice.summary, FIELD_CHARS.summary) ?? "failed";
  }
  if (!known && notice.description)
    task.description = clip(notice.description, FIELD_CHARS.description) ?? task.description;
  return task;
}

export function recordNotice(
  state: BgState,
  parentSessionId: string,
  notice: ParsedNotice,
  now: number,
  record: RecordCompletion,
): EnqueueOutcome {
  return record(taskFromNotice(state, parentSessionId, notice, now));
}

export interface SubagentInfo {
  agentId: string;
  agentType?: string;
}

/** SubagentStart: a new agent, or a finished one that was resumed (its next completion is a new one). */
export function recordSubagentStart(
  state: BgState,
  parentSessionId: string,
  info: SubagentInfo,
  now: number,
): void {
  const key = taskKey(parentSessionId, info.agentId);
  const existing = state.tasks[key];
  if (existing) {
    if (!isActive(existing)) state.tasks[key] = resumeTask(existing, now);
    return;
  }
  state.tasks[key] = {
    id: info.agentId,
    parentSessionId,
    kind: "agent",
    description: info.agentType ? `${info.agentType} agent` : info.agentId,
    status: "running",
    startedAt: now,
    lastProgressAt: now,
    // Foreground agents start the same way; only a launch or `background_tasks` proves otherwise.
    background: false,
    ...(info.agentType ? { agentType: info.agentType } : {}),
  };
}

export interface SubagentStopInfo extends SubagentInfo {
  lastMessage?: string;
  listedInBackground: boolean;
  /** Ids Claude Code still lists as in flight at this stop. */
  listedIds: readonly string[];
}

export type SubagentStopOutcome = EnqueueOutcome | { kind: "foreground" } | { kind: "waiting"; on: string[] };

/** SubagentStop: a background agent's result is recorded now; its notice, when it comes, is a repeat. */
export function recordSubagentStop(
  state: BgState,
  parentSessionId: string,
  info: SubagentStopInfo,
  now: number,
  record: RecordCompletion,
): SubagentStopOutcome {
  const key = taskKey(parentSessionId, info.agentId);
  const known = state.tasks[key];
  const background = info.listedInBackground || known?.background === true;
  if (!background) {
    if (known && known.background === false) delete state.tasks[key];
    return { kind: "foreground" };
  }
  const base: BackgroundTask = known ?? {
    id: info.agentId,
    parentSessionId,
    kind: "agent",
    description: info.agentType ? `${info.agentType} agent` : info.agentId,
    status: "running",
  };
  if (!isActive(base)) return { kind: "duplicate", key, delivered: true };
  // An agent that stops with its own background work still running is waiting, not finished: Claude
  // Code resumes it when that work ends, and its last message now is an interim report.
  const listed = new Set(info.listedIds);
  const own = Object.values(state.tasks)
    .filter((t) => t.ownerAgentId === info.agentId && isActive(t) && listed.has(t.id))
    .map((t) => t.id);
  if (own.length > 0) return { kind: "waiting", on: own };
  endAgentOwnWork(state, parentSessionId, info.agentId, now);
  const task: BackgroundTask = {
    ...base,
    status: "completed",
    originalStatus: "completed",
    completedAt: now,
    background: true,
  };
  if (info.agentType && !task.agentType) task.agentType = info.agentType;
  const result = clip(info.lastMessage ?? undefined);
  if (result !== undefined) task.result = result;
  return record(task);
}

/**
 * A subagent's own background work ends with the subagent (Claude Code resumes an agent until its own
 * work is done, and a killed one takes it along). Its outcomes went to the agent, never to the parent,
 * so nothing is told; it only stops counting as running. Returns the ids ended.
 */
export function endAgentOwnWork(
  state: BgState,
  parentSessionId: string,
  agentId: string,
  now: number,
): string[] {
  const ended: string[] = [];
  for (const [key, task] of Object.entries(state.tasks)) {
    if (task.parentSessionId !== parentSessionId || task.ownerAgentId !== agentId || !isActive(task))
      continue;
    state.tasks[key] = {
      ...task,
      status: "cancelled",
      originalStatus: ENDED_WITHOUT_NOTICE,
      completedAt: now,
      summary: `ended with agent ${agentId}, which was told its outcome`,
    };
    ended.push(task.id);
  }
  return ended;
}

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

/** The tier of the parent's most recent agent, for a launch that names no model. */
export function lastAgentModel(state: BgState, parentSessionId: string): string | undefined {
  let latest: BackgroundTask | undefined;
  for (const task of Object.values(state.tasks)) {
    if (task.parentSessionId !== parentSessionId || task.kind !== "agent" || !task.model) continue;
    if (!latest || (task.startedAt ?? 0) >= (latest.startedAt ?? 0)) latest = task;
  }
  return latest?.model;
}

/** The turn now running for a parent: notices carrying its prompt_id arrive inside it, not as wake-ups. */
export function noteRunningTurn(
  state: BgState,
  parentSessionId: string,
  promptId: string | undefined,
  now: number,
): void {
  if (!promptId) return;
  state.sessions ??= {};
  const turn = state.sessions[parentSessionId];
  if (turn?.promptId === promptId) return;
  state.sessions[parentSessionId] = { promptId, at: now };
}

/**
 * The turn a prompt that is not a completion notice starts, if it is worth remembering: while anything
 * could still report into it (a batch owed, a task running, a wake-up on its way). A wake-up on its way
 * ends here (its echo, or a typed prompt that carries the same notices), prompt_id or not.
 */
export function turnToNote(
  state: BgState,
  parentSessionId: string,
  promptId: string | undefined,
  now: number,
): string | undefined {
  const pending = wakeUpPending(state, parentSessionId, now);
  if (promptId === undefined) return pending ? `unnamed-${now}` : undefined;
  if (isInsideRunningTurn(state, parentSessionId, promptId)) return undefined;
  const busy =
    pending ||
    undeliveredBatches(state, parentSessionId).length > 0 ||
    activeTasksOf(state, parentSessionId).length > 0;
  return busy ? promptId : undefined;
}

/**
 * Notes the turn such a prompt starts (see `turnToNote`) as of `at`. A prompt hooks/run queued is folded in
 * later; one folded after a later turn was noted (its file written just after a hook read the inbox)
 * does not take that turn back.
 */
export function notePromptTurn(
  state: BgState,
  parentSessionId: string,
  promptId: string | undefined,
  at: number,
): void {
  if ((state.sessions?.[parentSessionId]?.at ?? Number.NEGATIVE_INFINITY) > at) return;
  const turn = turnToNote(state, parentSessionId, promptId, at);
  if (turn) noteRunningTurn(state, parentSessionId, turn, at);
}

export type ArrivedNoticeOutcome =
  | { inTurn: true; outcome: NativeDeliveryOutcome }
  | { inTurn: false; outcome: EnqueueOutcome }
  /** The rewake's record, put off: a wake-up is on its way, and the sync hook decides. */
  | { inTurn: false; deferred: true };

/**
 * A notice as it reaches UserPromptSubmit, recorded as `decideArrival` (core/protocol.ts) decides: told
 * natively or queued for a combined notice, in one transaction, from the state it commits against.
 */
export function recordArrivedNotice(
  state: BgState,
  parentSessionId: string,
  notice: ParsedNotice,
  promptId: string | undefined,
  now: number,
  record: RecordCompletion,
  whilePending: "decide" | "defer" | "record" = "decide",
): ArrivedNoticeOutcome {
  const task = taskFromNotice(state, parentSessionId, notice, now);
  const key = completionKey(task);
  switch (decideArrival(state, parentSessionId, { key, promptId }, now, whilePending)) {
    case "in-turn":
      return { inTurn: true, outcome: recordNativeDelivery(state, task, now, "native-in-turn") };
    case "pass-pending":
      return { inTurn: true, outcome: recordNativeDelivery(state, task, now, "native-pending") };
    case "pass-with-sibling":
      return { inTurn: true, outcome: { kind: "duplicate", key } };
    case "defer":
      return { inTurn: false, deferred: true };
    case "hold":
      break;
  }
  const outcome = recordNotice(state, parentSessionId, notice, now, record);
  if (promptId && (outcome.kind === "queued" || (outcome.kind === "duplicate" && !outcome.delivered))) {
    const item = findBatchOf(state, outcome.key)?.items.find((i) => i.key === outcome.key);
    if (item) item.promptId ??= clip(promptId, FIELD_CHARS.id);
  }
  return { inTurn: false, outcome };
}

/** Whether this notice's completion is recorded already (in a batch, or in the ledger). */
export function isNoticeKnown(
  state: BgState,
  parentSessionId: string,
  notice: ParsedNotice,
  now: number,
): boolean {
  const key = completionKey(taskFromNotice(state, parentSessionId, notice, now));
  return findBatchOf(state, key) !== undefined || state.ledger[key] !== undefined;
}

/** The prompts whose held notices are still waiting for their batch: what `recordNoticesSeen` looks for. */
export function heldNoticePrompts(state: BgState, parentSessionId: string): string[] {
  const out: string[] = [];
  for (const batch of undeliveredBatches(state, parentSessionId))
    for (const item of batch.items) if (item.promptId) out.push(item.promptId);
  return out;
}

/**
 * Held notices the model has already been sent whole: they stood in the conversation when another
 * prompt's turn (a wake-up, a typed prompt) made its request, and a reply to it came. Told natively,
 * they leave their batch, so no later wake-up tells them again.
 */
export function recordNoticesSeen(
  state: BgState,
  parentSessionId: string,
  seenPrompts: ReadonlySet<string>,
  now: number,
): string[] {
  const told: string[] = [];
  for (const batch of undeliveredBatches(state, parentSessionId))
    for (const item of [...batch.items])
      if (
        item.promptId !== undefined &&
        seenPrompts.has(item.promptId) &&
        recordNativeDelivery(state, item.task, now, "native-seen").kind === "told"
      )
        told.push(item.task.id);
  return told;
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

/**
 * The parent read a finished task's output file itself (the Read tool, as Claude Code 2.1.332 tells it
 * to): its held completion is told, and wakes no one; a batch left empty is dropped. Only a completion
 * bg-notify has recorded counts: a read while it still runs is partial.
 */
export function recordParentRead(
  state: BgState,
  parentSessionId: string,
  path: string,
  now: number,
): string[] {
  const told: string[] = [];
  for (const batch of [...state.batches]) {
    if (batch.parentSessionId !== parentSessionId || batch.deliveredAt !== undefined) continue;
    for (const item of [...batch.items])
      if (
        item.task.outputFile === path &&
        recordNativeDelivery(state, item.task, now, "read-by-parent", "parent-read").kind === "told"
      )
        told.push(item.task.id);
  }
  return told;
}

/** Whether `recordParentRead` would tell anything (a lock-free look first). */
export function heldOutputRead(state: BgState, parentSessionId: string, path: string): boolean {
  return state.batches.some(
    (b) =>
      b.parentSessionId === parentSessionId &&
      b.deliveredAt === undefined &&
      b.items.some((i) => i.task.outputFile === path),
  );
}
