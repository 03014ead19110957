// UserPromptSubmit with `asyncRewake`: the batch window's timer. For a notice prompt it records the
// completion, then does what `nextTimerStep` (core/protocol.ts) says until it wins the claim of the due
// batches: it prints the combined notice on stderr and exits 2, waking the parent once for the batch.
import type { HookInput } from "../../claude/hook-input.js";
import { parseTaskNotification } from "../../claude/task-notification.js";
import { isNoticeKnown } from "../../claude/track-notices.js";
import { answeredMentions } from "../../claude/transcript.js";
import type { AllDone } from "../../core/all-done.js";
import {
  afterLostClaim,
  DEFER_MS,
  nextTimerStep,
  REWAKE_MAX_WAIT_MS,
  type TimerStep,
  wakeUpsOnTheirWay,
} from "../../core/protocol.js";
import { HOOK_OUTPUT_CHARS } from "../../core/summary.js";
import { signalAllDone } from "../all-done.js";
import { recordArrival } from "../arrival.js";
import type { HookContext, HookResult } from "../context.js";
import { settleSeenNotices, settleStoppedTasks } from "../delivery.js";

const DEFER_POLL_MS = 25;

export async function handleRewake(input: HookInput, ctx: HookContext): Promise<HookResult> {
  if (ctx.config.mode !== "coalesce") return {};
  const notice = parseTaskNotification(input.prompt ?? "");
  // The echo of a wake-up, or a person typing: the sync hook delivers; waking again would loop.
  if (notice?.noticeKind !== "completion") return {};
  const sessionId = input.session_id;
  // Both UserPromptSubmit hooks run at once; recording here too (idempotent) means the window starts
  // even if the sync hook has not committed yet.
  const at = ctx.receivedAt ?? ctx.now();
  let allDone: AllDone | undefined;
  const record = async (whilePending: "defer" | "record") => {
    const recorded = await recordArrival(ctx, input, notice, at, whilePending);
    // Claimed with the record, once: the defer loop's later look finds it claimed.
    allDone = recorded.allDone ?? allDone;
    return recorded.arrived;
  };
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
  if (allDone) signalAllDone(ctx, allDone);
  // A notice inside a running turn (or passed while a wake-up is on its way, or since bg-notify steps
  // aside for the session) is told by Claude Code; the sync hook hands over what was held before.
  if (arrived.inTurn || "aside" in arrived) return {};

  const giveUpAt = ctx.now() + REWAKE_MAX_WAIT_MS;
  let settled = false;
  for (;;) {
    const state = await ctx.store.read();
    const view = { state, sessionId, now: ctx.now(), limits: ctx.limits, giveUpAt, settled };
    let step: TimerStep = nextTimerStep(view);
    if (step.kind === "look") {
      const answered = answeredMentions(input.transcript_path, step.markers) ?? "unreadable";
      step = nextTimerStep({ ...view, answered });
    }
    switch (step.kind) {
      case "stop":
        return {};
      case "look":
        throw new Error("a timer step asked to look twice");
      case "wait":
        // A wake-up that won the claim race went out since: what its turn carried is settled again.
        if (step.why === "answer") settled = false;
        await ctx.sleep(step.ms);
        continue;
      case "settle":
        settled = true;
        await settleStoppedTasks(ctx, sessionId, input.transcript_path, "rewake");
        await settleSeenNotices(ctx, sessionId, input.transcript_path, "rewake");
        continue;
      case "claim": {
        // The wake-up's request carries every notice held so far (they all stand in the conversation),
        // so it tells every batch owed, not the first due one alone.
        const deliveries = await ctx.notifications.flushParent(sessionId, {
          force: true,
          via: "rewake",
          brief: true,
          charBudget: HOOK_OUTPUT_CHARS - 500,
          knownWakeUps: wakeUpsOnTheirWay(state, sessionId),
        });
        if (deliveries.length > 0) return { stderr: deliveries.map((d) => d.text).join("\n\n"), exitCode: 2 };
        const next = afterLostClaim(ctx.now(), giveUpAt);
        if (next.kind === "stop") return {};
        await ctx.sleep(next.ms);
      }
    }
  }
}
