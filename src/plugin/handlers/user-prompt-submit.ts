// UserPromptSubmit (sync). A `<task-notification>` is recorded, and in coalesce mode held once the
// record is committed: it enters the conversation as Claude Code tells it, but wakes the parent only
// with its batch. Any other prompt — a person typing, or our
// own wake-up echo — is never blocked and carries what this session is owed as context.

import type { HookInput } from "../../claude/hook-input.js";
import { holdPromptOutput } from "../../claude/hook-output.js";
import { parseTaskNotification } from "../../claude/task-notification.js";
import type { ArrivedNoticeOutcome } from "../../claude/track-notices.js";
import { notePromptTurn, turnToNote } from "../../claude/track-turns.js";
import type { AllDone } from "../../core/all-done.js";
import { undeliveredBatches } from "../../core/batching.js";
import { describeError } from "../../core/errors.js";
import { unknownNoticeWhy } from "../../core/host.js";
import { activeTasksOf } from "../../core/running.js";
import { signalAllDone } from "../all-done.js";
import { recordArrival } from "../arrival.js";
import { stepAsideFor } from "../aside.js";
import type { HookContext, HookResult } from "../context.js";
import { deliveriesOutput, deliverOwed, settleSeenNotices } from "../delivery.js";

const EVENT = "UserPromptSubmit";
/** Shown under each held notice, and read by the model: its notice stands, its wake-up comes per batch. */
export const HELD_REASON = "bg-notify holds this notice for one wake-up per batch";
/** The same under policy `defer`: no wake-up comes; the next prompt carries it. */
export const DEFERRED_REASON = "bg-notify holds this notice for your next prompt (policy defer)";

export async function handleUserPromptSubmit(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const mode = ctx.config.mode;
  if (mode === "off") return {};
  const sessionId = input.session_id;
  const notice = parseTaskNotification(input.prompt ?? "");
  /** What this session is owed, handed over as context on this prompt. */
  const handOver = async (via: "prompt-context" | "in-turn-context" | "summarize", force: boolean) =>
    deliveriesOutput(
      EVENT,
      await deliverOwed(ctx, sessionId, { force, via, transcriptPath: input.transcript_path }),
    );

  // Only a task's completion is held back. A Monitor's events and stream end, an agent's interim report,
  // the resume report and any kind not known pass untouched, as natively, like any other prompt; a
  // notice whose form is not known makes bg-notify step aside for the session (core/host.ts).
  let aside: string | undefined;
  if (notice && notice.noticeKind === "unknown") {
    noteUnrecognised(ctx, sessionId, notice.taskId, notice.summary);
    aside = await stepAsideFor(ctx, sessionId, unknownNoticeWhy(notice.taskId));
  }
  if (notice?.noticeKind !== "completion") {
    if (aside) ctx.warnings.push(aside);
    const snapshot = await ctx.store.read();
    const owed = undeliveredBatches(snapshot, sessionId);
    // A turn starts. (hooks/run queues this note instead, without node, when nothing is owed.)
    const now = ctx.now();
    if (turnToNote(snapshot, sessionId, input.prompt_id, now) !== undefined)
      await ctx.store.transact((state) => notePromptTurn(state, sessionId, input.prompt_id, now));
    if (owed.length === 0) return {};
    // Notices held while the last turn made its request were told by it: not again in this context.
    if (mode === "coalesce") await settleSeenNotices(ctx, sessionId, input.transcript_path, EVENT);
    return handOver("prompt-context", true);
  }

  let arrived: ArrivedNoticeOutcome;
  let allDone: AllDone | undefined;
  let asideLine: string | undefined;
  try {
    ({ arrived, allDone, asideLine } = await recordArrival(ctx, input, notice, ctx.receivedAt ?? ctx.now()));
  } catch (error) {
    // Fail open: a notice we could not record must reach the parent the ordinary way.
    return {
      stderr: `bg-notify: could not record task ${notice.taskId} (${describeError(error)}); its notice passes through`,
    };
  }

  if (allDone) signalAllDone(ctx, allDone);
  if (asideLine) ctx.warnings.push(asideLine);
  // Stepped aside: the notice starts its own turn, as natively, and what was held before rides it.
  if ("aside" in arrived) {
    if (mode === "coalesce") await settleSeenNotices(ctx, sessionId, input.transcript_path, EVENT);
    return handOver("prompt-context", true);
  }

  if (arrived.inTurn) {
    // Inside a running turn the notice rides on the turn's next request at no extra cost; blocking it
    // would erase it. It is recorded as told, and anything else owed joins it as context.
    return handOver("in-turn-context", true);
  }
  if ("deferred" in arrived) return {};
  if (arrived.outcome.kind !== "queued" && arrived.outcome.kind !== "duplicate") return {};

  if (mode === "coalesce") {
    return holdPromptOutput(ctx.config.policy === "defer" ? DEFERRED_REASON : HELD_REASON);
  }

  // summarize: the notice passes; the combined summary rides on it once its batch is due, or once
  // nothing of this parent is still running (no later notice would come to carry it).
  const snapshot = await ctx.store.read();
  const owed = undeliveredBatches(snapshot, sessionId);
  if (owed.length === 0) return {};
  return handOver("summarize", activeTasksOf(snapshot, sessionId).length === 0);
}

/** An envelope this version does not know: it passed untouched; the event log counts it for `bg-notify status`. */
function noteUnrecognised(
  ctx: HookContext,
  sessionId: string,
  taskId: string,
  summary: string | undefined,
): void {
  ctx.notifications.getEventBus().emitToEventSystem({
    type: "unrecognised_notice",
    source: EVENT,
    payload: { sessionId, taskId, summary: (summary ?? "").slice(0, 200) },
  });
}
