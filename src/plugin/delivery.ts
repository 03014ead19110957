// Delivering owed batches into the parent's context from a hook that is already on its turn
// (a prompt, a tool result, session start): no extra wake-up is spent.
import { contextOutput, type HookResult } from "../claude/hook-output.js";
import { parseTaskNotification } from "../claude/task-notification.js";
import { heldNoticePrompts, recordNoticesSeen } from "../claude/track-notices.js";
import { recordQueuedStops } from "../claude/track-stops.js";
import { queuedNotices, repliedPrompts } from "../claude/transcript.js";
import { nextDueAt } from "../core/batching.js";
import { isBgNotifyError } from "../core/errors.js";
import { activeTasksOf } from "../core/running.js";
import { CONTEXT_CHAR_BUDGET } from "../core/summary.js";
import type { BgState, Delivery, DeliveryRoute } from "../core/types.js";
import type { HookContext } from "./context.js";

export function joinDeliveries(deliveries: readonly Delivery[]): string {
  return deliveries.map((d) => d.text).join("\n\n");
}

/** The deliveries as this event's context for the model, or nothing. */
export function deliveriesOutput(event: string, deliveries: readonly Delivery[]): HookResult {
  return deliveries.length > 0 ? contextOutput(event, joinDeliveries(deliveries)) : {};
}

/**
 * Whether the held notices still stand in the conversation this delivery joins: they do on every route
 * but a cleared or compacted one (`/clear` empties it, compaction condenses it), which gets them whole.
 */
function notices(via: DeliveryRoute): boolean {
  return via !== "session-clear" && via !== "session-compact";
}

/**
 * Claims what this session is owed (only what is due unless `force`) and returns it.
 * Reads lock-free first, so a hook with nothing owed touches one file and takes no lock.
 */
export async function deliverOwed(
  ctx: HookContext,
  sessionId: string,
  options: { force: boolean; via: DeliveryRoute; transcriptPath: unknown },
): Promise<Delivery[]> {
  const dueAt = nextDueAt(await ctx.store.read(), sessionId, ctx.limits);
  if (dueAt === undefined || (!options.force && dueAt > ctx.now())) return [];
  // What the summary will count as still running must not hold a task the user stopped meanwhile.
  await settleStoppedTasks(ctx, sessionId, options.transcriptPath, options.via);
  // Once one batch is due, all go: the notices of every held batch stand in the conversation, and
  // this request carries them all.
  return ctx.notifications.flushParent(sessionId, {
    force: true,
    via: options.via,
    charBudget: CONTEXT_CHAR_BUDGET,
    brief: notices(options.via),
  });
}

/**
 * Held notices that a turn started by another prompt carried (Claude Code drains every queued notice
 * into the request it is about to send) and the model answered: told, whole, by Claude Code. Settled
 * before anything is claimed (the rewake looks again when their batch falls due, by when the answer
 * to a drained turn is written), so no wake-up or context tells them a second time. The transcript is read
 * only when this session holds notices; unreadable, nothing changes (they are told with their batch).
 */
export async function settleSeenNotices(
  ctx: HookContext,
  sessionId: string,
  transcriptPath: unknown,
  /** The hook settling them (the event log names it). */
  event: string,
  /** A turn whose request is known answered (Stop's own): what stood before its prompt was carried. */
  answeredPrompt?: string,
): Promise<void> {
  const held = heldNoticePrompts(await ctx.store.read(), sessionId);
  if (held.length === 0) return;
  const replied = repliedPrompts(transcriptPath, held, answeredPrompt);
  if (!replied || replied.size === 0) return;
  const now = ctx.now();
  // Not settling costs at most a summary line told twice.
  await settle(ctx, sessionId, event, "held_notices_seen", (state) =>
    recordNoticesSeen(state, sessionId, replied, now),
  );
}

/**
 * Records what the transcript showed, and logs the tasks it settled as `type`. Lock or disk trouble
 * only leaves things as they were (each settle says what that costs): the hook's own work goes ahead.
 */
async function settle(
  ctx: HookContext,
  sessionId: string,
  event: string,
  type: "held_notices_seen" | "stops_seen",
  update: (state: BgState) => string[],
): Promise<void> {
  let taskIds: string[];
  try {
    taskIds = await ctx.store.transact(update);
  } catch (error) {
    if (
      isBgNotifyError(error, "ELOCKED") ||
      isBgNotifyError(error, "ESTATE") ||
      isBgNotifyError(error, "ECOMPROMISED")
    )
      return;
    throw error;
  }
  if (taskIds.length > 0)
    ctx.notifications
      .getEventBus()
      .emitToEventSystem({ type, source: event, payload: { sessionId, taskIds } });
}

/**
 * Tasks of this session stopped by the user or an app while it was idle: Claude Code tells the model
 * itself with a "killed" notice that no hook sees, queued in the transcript at once. Settled before
 * anything counts what still runs, so no summary calls a stopped task running. The transcript is read
 * only while this session has tasks running; unreadable, nothing changes.
 */
export async function settleStoppedTasks(
  ctx: HookContext,
  sessionId: string,
  transcriptPath: unknown,
  event: string,
): Promise<void> {
  const running = activeTasksOf(await ctx.store.read(), sessionId).map((t) => t.id);
  if (running.length === 0) return;
  const queued = queuedNotices(transcriptPath, running);
  if (!queued || queued.size === 0) return;
  const notices = [...queued.values()].flatMap((text) => {
    const notice = parseTaskNotification(text);
    return notice ? [notice] : [];
  });
  if (notices.length === 0) return;
  const now = ctx.now();
  // Not settling costs a "still running" too many.
  await settle(ctx, sessionId, event, "stops_seen", (state) =>
    recordQueuedStops(state, sessionId, notices, now),
  );
}
