// UserPromptSubmit with `asyncRewake`: the batch window's timer. For a notice prompt it waits until the
// session's oldest undelivered batch is due, claims it under the lock and, if this process won the
// claim, prints the combined notice on stderr and exits 2 — waking the parent once for the batch.
import type { HookInput } from "../../claude/hook-input.js";
import { parseTaskNotification } from "../../claude/task-notification.js";
import { isNoticeKnown, recordArrivedNotice } from "../../claude/task-tracking.js";
import { answeredMentions } from "../../claude/transcript.js";
import {
  activeTasksOf,
  lastCompletionAt,
  nextDueAt,
  recentWakeUps,
  WAKE_UP_PENDING_MS,
  wakeUpsOnTheirWay,
} from "../../core/batching.js";
import { HOOK_OUTPUT_CHARS } from "../../core/notice.js";
import type { BgState } from "../../core/types.js";
import type { HookContext, HookResult } from "../context.js";
import { settleSeenNotices, settleStoppedTasks } from "../delivery.js";

/** Past this the sync hook's fallbacks (next prompt, tool result, Stop, session start) deliver instead. */
export const REWAKE_MAX_WAIT_MS = 90_000;
const LOST_RACE_PAUSE_MS = 15;
/**
 * The wait re-reads the state this often: held for siblings, a batch falls due when the last of them
 * ends by whatever path (a TaskStop or a reconcile start no rewake); and a batch told meanwhile (a typed
 * prompt, `bg-notify flush`) ends the wait, so a long window does not keep a headless CLI from exiting.
 */
const POLL_MS = 1000;
/**
 * An earlier wake-up whose request has not come back yet: the notices held meanwhile ride on it
 * (Claude Code drains them into the request it is making) and its Stop settles them, so a batch that
 * falls due meanwhile waits for its answer this long at most, looking this often.
 */
export const WAKE_ANSWER_WAIT_MS = WAKE_UP_PENDING_MS;
const ANSWER_POLL_MS = 150;
/**
 * How long the rewake waits for the sync hook's decision on a notice that arrived with a wake-up on its
 * way (both start together; the sync hook's record takes ~100 ms here, more under a burst).
 */
export const DEFER_MS = 1000;
const DEFER_POLL_MS = 25;
/**
 * Claude Code screens queued prompts one after another, and a wake-up it queues while a notice is being
 * screened goes with that notice: a turn of its own after the notice's (its batch told twice), or, with
 * the notice held, none at all (tmux, 2.1.332). So while tasks still run, a due batch is claimed in a pause
 * of the notices: none recorded for NOTICES_QUIET_MS (a burst's come 150–330 ms apart), at most
 * QUIET_WAIT_MAX_MS late. With nothing left running no notice can come: it is claimed when due.
 */
export const NOTICES_QUIET_MS = 400;
export const QUIET_WAIT_MAX_MS = 2000;

export async function handleRewake(input: HookInput, ctx: HookContext): Promise<HookResult> {
  if (ctx.config.mode !== "coalesce") return {};
  const notice = parseTaskNotification(input.prompt ?? "");
  // The echo of a wake-up, or a person typing: the sync hook delivers; waking again would loop.
  if (notice?.noticeKind !== "completion") return {};
  const sessionId = input.session_id;
  // Both UserPromptSubmit hooks run at once; recording here too (idempotent) means the window starts
  // even if the sync hook has not committed yet.
  const at = ctx.receivedAt ?? ctx.now();
  const record = (whilePending: "defer" | "record") =>
    ctx.notifications.transact(
      (state, rec) => recordArrivedNotice(state, sessionId, notice, input.prompt_id, at, rec, whilePending),
      at,
    );
  let arrived = await record("defer");
  // A wake-up is on its way: the sync hook decides whether this notice passes; this one follows. If
  // the sync hook is that late (or failed open), the completion is recorded as before: at worst told twice.
  const deferUntil = ctx.now() + DEFER_MS;
  while ("deferred" in arrived) {
    if (ctx.now() >= deferUntil) {
      arrived = await record("record");
      break;
    }
    await ctx.sleep(DEFER_POLL_MS);
    if (isNoticeKnown(await ctx.store.read(), sessionId, notice, at)) arrived = await record("defer");
  }
  // A notice inside a running turn (or passed while a wake-up is on its way) is told by Claude Code.
  if (arrived.inTurn) return {};

  const giveUpAt = ctx.now() + REWAKE_MAX_WAIT_MS;
  let settled = false;
  for (;;) {
    const state = await ctx.store.read();
    const dueAt = nextDueAt(state, sessionId, ctx.limits);
    if (dueAt === undefined) return {};
    const now = ctx.now();
    if (dueAt > now) {
      if (dueAt > giveUpAt) return {};
      await ctx.sleep(Math.min(dueAt - now, POLL_MS));
      continue;
    }
    const quietAt = (lastCompletionAt(state, sessionId) ?? 0) + NOTICES_QUIET_MS;
    if (quietAt > now && now < dueAt + QUIET_WAIT_MAX_MS && activeTasksOf(state, sessionId).length > 0) {
      await ctx.sleep(Math.min(quietAt, dueAt + QUIET_WAIT_MAX_MS) - now);
      continue;
    }
    // Asked on every pass: a wake-up that won the claim race went out after this one settled.
    if (awaitingAnswer(state, sessionId, input.transcript_path, now)) {
      settled = false;
      await ctx.sleep(ANSWER_POLL_MS);
      continue;
    }
    // Held notices a turn has carried since (drained into its request, and answered) need no wake-up.
    if (!settled) {
      settled = true;
      await settleStoppedTasks(ctx, sessionId, input.transcript_path, "rewake");
      await settleSeenNotices(ctx, sessionId, input.transcript_path, "rewake");
      continue;
    }
    // The first batch is due: the wake-up's request carries every notice held so far (they all stand
    // in the conversation), so it tells every batch owed, not that one alone.
    const deliveries = await ctx.notifications.flushParent(sessionId, {
      force: true,
      via: "rewake",
      brief: true,
      charBudget: HOOK_OUTPUT_CHARS - 500,
      knownWakeUps: wakeUpsOnTheirWay(state, sessionId),
    });
    const text = deliveries.map((d) => d.text).join("\n\n");
    if (deliveries.length > 0) return { stderr: text, exitCode: 2 };
    if (ctx.now() > giveUpAt) return {};
    await ctx.sleep(LOST_RACE_PAUSE_MS);
  }
}

/** Whether an earlier wake-up of this session went out lately and the transcript shows no answer yet. */
function awaitingAnswer(state: BgState, sessionId: string, transcriptPath: unknown, now: number): boolean {
  const sent = recentWakeUps(state, sessionId, now, WAKE_ANSWER_WAIT_MS).map((b) => `(batch ${b.id};`);
  if (sent.length === 0) return false;
  const answered = answeredMentions(transcriptPath, sent);
  // Unreadable, nothing can be learnt by waiting.
  return answered !== undefined && sent.some((mention) => !answered.has(mention));
}
