// Stop: reconcile Claude Code's list of background tasks with ours, and hand over a due batch before the
// turn ends. SessionStart and SessionEnd: settle what was sent against the transcript (owed again if it
// never arrived); SessionStart then delivers what is owed, corrects a resume's report, and prunes.

import type { HookInput } from "../../claude/hook-input.js";
import { contextOutput } from "../../claude/hook-output.js";
import { isHeldNoticePrompt } from "../../claude/track-notices.js";
import {
  endSessionWork,
  listedBackgroundTasks,
  needsReconcile,
  reconcileBackgroundTasks,
} from "../../claude/track-stops.js";
import { transcriptMentions } from "../../claude/transcript.js";
import { sentUnacknowledged } from "../../core/batching.js";
import { isBgNotifyError } from "../../core/errors.js";
import { isActive } from "../../core/lifecycle.js";
import { pruneState } from "../../core/state.js";
import { batchMarker, renderResumeCorrection } from "../../core/summary.js";
import { acknowledgeBatches, heldCompletionsToCorrect, reopenBatches } from "../../core/told.js";
import type { BgState } from "../../core/types.js";
import { learnHost, stepAsideFor } from "../aside.js";
import type { HookContext, HookResult } from "../context.js";
import { deliveriesOutput, deliverOwed, joinDeliveries, settleSeenNotices } from "../delivery.js";

const HOLD_NOT_HONOURED =
  "Claude Code started a turn for a notice bg-notify held (a hook answer it no longer honours)";

export async function handleStop(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const sessionId = input.session_id;
  // One look at the state for what this Stop may have to do; each change is its own transaction.
  const before = await ctx.store.read();
  // A Claude Code older than the minimum may send no notice bg-notify would see: told here, at the
  // first turn's end of a session that launched background work. Best effort, as the settle below: a
  // lock held elsewhere leaves it for the next hook.
  const hostLine =
    ctx.config.mode === "off"
      ? undefined
      : await learnHost(ctx, before, sessionId, input.transcript_path).catch(() => undefined);
  if (hostLine) ctx.warnings.push(hostLine);
  const listed = listedBackgroundTasks(input);
  if (listed && needsReconcile(before, sessionId, listed)) {
    await ctx.store.transact((state) =>
      reconcileBackgroundTasks(state, sessionId, listed, ctx.now(), ctx.config.reconcileGraceMs),
    );
  }
  // Only coalesce holds notices back. Context at Stop makes Claude Code run one more request, so it is
  // given only for a due batch (the rewake would spend that request anyway) and never in a Stop that
  // a hook already extended (stop_hook_active).
  if (ctx.config.mode !== "coalesce") return {};
  // Stop runs once the turn's reply is in: the notices held before its prompt rode on its request.
  const turn = typeof input.prompt_id === "string" ? input.prompt_id : undefined;
  // A held notice starts no turn (hook-output.ts): a turn of its own means Claude Code did not honour
  // the hold, and each wake-up would tell it again. That notice is settled below as told natively.
  if (turn !== undefined && isHeldNoticePrompt(before, sessionId, turn)) {
    const line = await stepAsideFor(ctx, sessionId, HOLD_NOT_HONOURED).catch(() => undefined);
    if (line) ctx.warnings.push(line);
  }
  await settleSeenNotices(ctx, sessionId, input.transcript_path, "Stop", turn);
  if (input.stop_hook_active) return {};
  const deliveries = await deliverOwed(ctx, sessionId, {
    force: false,
    via: "stop",
    transcriptPath: input.transcript_path,
  });
  return deliveriesOutput("Stop", deliveries);
}

/**
 * A batch sent by an acknowledged route (the rewake, prompt or session-start context) is only sent until
 * the session's transcript holds it. When the session ends or starts again it is looked for there: found,
 * it was received (acknowledged); not found, or the transcript cannot be read, it is owed again, whole.
 * Held notices the model already answered are settled first, so neither route tells them again.
 */
async function settleSentBatches(
  ctx: HookContext,
  sessionId: string,
  transcriptPath: unknown,
  event: "SessionStart" | "SessionEnd",
): Promise<void> {
  await settleSeenNotices(ctx, sessionId, transcriptPath, event);
  const sent = sentUnacknowledged(await ctx.store.read(), sessionId).map((b) => b.id);
  if (sent.length === 0) return;
  const found = transcriptMentions(transcriptPath, sent.map(batchMarker));
  const received = sent.filter((id) => found?.has(batchMarker(id)));
  const lost = sent.filter((id) => !received.includes(id));
  const now = ctx.now();
  await ctx.store.transact((state) => {
    acknowledgeBatches(state, received, now);
    reopenBatches(state, lost);
  });
}

export async function handleSessionStart(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const sessionId = input.session_id;
  await settleSentBatches(ctx, sessionId, input.transcript_path, "SessionStart");
  const deliveries = await deliverOwed(ctx, sessionId, {
    force: true,
    via: `session-${input.source ?? "start"}`,
    transcriptPath: input.transcript_path,
  });
  // A resume: Claude Code tells the model that the tasks whose notices bg-notify held "didn't finish".
  let correction: string | undefined;
  if (input.source === "resume") {
    const candidates = heldCompletionsToCorrect(await ctx.store.read(), sessionId);
    // A notice held with `continue: false` stands in the transcript, so Claude Code knows the task
    // finished and reports nothing: only a completion missing there needs correcting.
    const standing =
      candidates.length > 0
        ? transcriptMentions(
            input.transcript_path,
            candidates.map((h) => `<task-id>${h.task.id}</task-id>`),
          )
        : undefined;
    const now = ctx.now();
    correction =
      candidates.length === 0
        ? undefined
        : await ctx.store.transact((state) => {
            const held = heldCompletionsToCorrect(state, sessionId);
            if (held.length === 0) return undefined;
            for (const { batch } of held) batch.correctedAt = now;
            const missing = held.filter((h) => !standing?.has(`<task-id>${h.task.id}</task-id>`));
            return missing.length > 0 ? renderResumeCorrection(missing.map((h) => h.task)) : undefined;
          });
  }
  if ((input.source === "startup" || deliveries.length > 0) && hasRecords(await ctx.store.read())) {
    const now = ctx.now();
    await ctx.store.transact((state) => pruneState(state, now, ctx.config)).catch(() => undefined);
  }
  const text = [joinDeliveries(deliveries), correction].filter(Boolean).join("\n\n");
  return text ? contextOutput("SessionStart", text) : {};
}

/** Anything a prune could remove: a project with none is left without even a state directory. */
function hasRecords(state: BgState): boolean {
  return (
    state.batches.length > 0 || Object.keys(state.tasks).length > 0 || Object.keys(state.ledger).length > 0
  );
}

export async function handleSessionEnd(input: HookInput, ctx: HookContext): Promise<HookResult> {
  // A project where nothing was ever recorded gets no state directory for a session's end either.
  if (!hasRecords(await ctx.store.read())) return {};
  ctx.notifications.getEventBus().emitToEventSystem({
    type: "session_end",
    source: "SessionEnd",
    payload: { sessionId: input.session_id, reason: input.reason ?? null },
  });
  // Leave nothing in the state that claims a delivery the parent never got (Claude Code exiting while
  // a rewake's wake-up was on its way); SessionStart does the same if this could not finish in time.
  try {
    await settleSentBatches(ctx, input.session_id, input.transcript_path, "SessionEnd");
    // The process exits and its background work with it: nothing of this session is left running
    // (a `/clear` keeps the process, and may keep its work).
    if (input.reason !== "clear" && input.reason !== "resume") {
      const sessionId = input.session_id;
      const state = await ctx.store.read();
      if (Object.values(state.tasks).some((t) => t.parentSessionId === sessionId && isActive(t)))
        await ctx.store.transact((draft) => endSessionWork(draft, sessionId, ctx.now()));
    }
  } catch (error) {
    // A lock still held or a state dir that cannot be written: the next SessionStart settles the same
    // batches from the same transcript, so nothing is lost by leaving it to it.
    if (
      !isBgNotifyError(error, "ELOCKED") &&
      !isBgNotifyError(error, "ESTATE") &&
      !isBgNotifyError(error, "ECOMPROMISED")
    )
      throw error;
  }
  return {};
}
