// Completion notices into task records and queued completions: what a notice says, whether its
// completion is known, and what the transcript shows told (held notices a turn carried, a parent's read).
import {
  type EnqueueOutcome,
  findBatchOf,
  type RecordCompletion,
  undeliveredBatches,
} from "../core/batching.js";
import { clip, defined, FIELD_CHARS } from "../core/guards.js";
import { isActive, statusFromClaude } from "../core/lifecycle.js";
import { decideArrival } from "../core/protocol.js";
import { noteCompletion } from "../core/savings.js";
import { completionKey, taskKey } from "../core/state.js";
import { type NativeDeliveryOutcome, recordNativeDelivery } from "../core/told.js";
import type { BackgroundTask, BgState } from "../core/types.js";
import type { ParsedNotice } from "./task-notification.js";

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

export type ArrivedNoticeOutcome =
  | { inTurn: true; outcome: NativeDeliveryOutcome }
  | { inTurn: false; outcome: EnqueueOutcome }
  /** bg-notify steps aside for this session: the notice passes and starts its own turn, told natively. */
  | { inTurn: false; aside: true; outcome: NativeDeliveryOutcome }
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
  const known = findBatchOf(state, key) !== undefined || state.ledger[key] !== undefined;
  // Counted once, by whichever of the notice's two hooks records it first.
  const tallied = <O extends { kind: string }>(outcome: O, idle: boolean): O => {
    if (!known && (outcome.kind === "told" || outcome.kind === "queued"))
      noteCompletion(state, parentSessionId, now, idle);
    return outcome;
  };
  switch (decideArrival(state, parentSessionId, { key, promptId }, now, whilePending)) {
    case "in-turn":
      return {
        inTurn: true,
        outcome: tallied(recordNativeDelivery(state, task, now, "native-in-turn"), false),
      };
    case "pass-pending":
      return {
        inTurn: true,
        outcome: tallied(recordNativeDelivery(state, task, now, "native-pending"), true),
      };
    case "pass-with-sibling":
      return { inTurn: true, outcome: { kind: "duplicate", key } };
    case "aside":
      return {
        inTurn: false,
        aside: true,
        outcome: tallied(recordNativeDelivery(state, task, now, "native-aside"), true),
      };
    case "defer":
      return { inTurn: false, deferred: true };
    case "hold":
      break;
  }
  const outcome = tallied(recordNotice(state, parentSessionId, notice, now, record), true);
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
 * Whether `promptId` is the prompt of a notice bg-notify held (owed, or told by its own wake-up or
 * context since): such a prompt starts no turn while Claude Code honours the hold.
 */
export function isHeldNoticePrompt(state: BgState, parentSessionId: string, promptId: string): boolean {
  return state.batches.some(
    (b) =>
      b.parentSessionId === parentSessionId &&
      b.toldBy === undefined &&
      b.items.some((i) => i.promptId === promptId),
  );
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
