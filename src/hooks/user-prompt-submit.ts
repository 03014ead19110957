// UserPromptSubmit (sync). A `<task-notification>` is recorded, and in coalesce mode blocked once the
// record is committed, so it does not wake the parent alone. Any other prompt — a person typing, or our
// own wake-up echo — is never blocked and carries what this session is owed as context.
import { activeTasksOf, undeliveredBatches } from "../batching.js";
import { describeError } from "../errors.js";
import type { HookContext, HookResult } from "../hook-context.js";
import type { HookInput } from "../hook-input.js";
import { parseTaskNotification } from "../task-notification.js";
import {
  type ArrivedNoticeOutcome,
  isInsideRunningTurn,
  noteRunningTurn,
  recordArrivedNotice,
} from "../task-tracking.js";
import { contextOutput, deliverOwed, joinDeliveries } from "./delivery.js";

const EVENT = "UserPromptSubmit";

export async function handleUserPromptSubmit(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const mode = ctx.config.mode;
  if (mode === "off") return {};
  const sessionId = input.session_id;
  const notice = parseTaskNotification(input.prompt ?? "");

  if (!notice) {
    const snapshot = await ctx.store.read();
    const owed = undeliveredBatches(snapshot, sessionId);
    // A turn starts: remember its prompt_id while anything could still report into it.
    if (
      input.prompt_id !== undefined &&
      !isInsideRunningTurn(snapshot, sessionId, input.prompt_id) &&
      (owed.length > 0 || activeTasksOf(snapshot, sessionId).length > 0)
    ) {
      await ctx.store.transact((state) => noteRunningTurn(state, sessionId, input.prompt_id, ctx.now()));
    }
    if (owed.length === 0) return {};
    const deliveries = await deliverOwed(ctx, sessionId, { force: true, via: "prompt-context" });
    return deliveries.length > 0 ? contextOutput(EVENT, joinDeliveries(deliveries)) : {};
  }

  let arrived: ArrivedNoticeOutcome;
  try {
    arrived = await ctx.store.transact((state) =>
      recordArrivedNotice(state, sessionId, notice, input.prompt_id, ctx.receivedAt ?? ctx.now(), ctx.limits),
    );
  } catch (error) {
    // Fail open: a notice we could not record must reach the parent the ordinary way.
    return {
      stderr: `bg-notify: could not record task ${notice.taskId} (${describeError(error)}); its notice passes through`,
    };
  }

  if (arrived.inTurn) {
    // Inside a running turn the notice rides on the turn's next request at no extra cost; blocking it
    // would erase it. It is recorded as told, and anything else owed joins it as context.
    const deliveries = await deliverOwed(ctx, sessionId, { force: true, via: "in-turn-context" });
    return deliveries.length > 0 ? contextOutput(EVENT, joinDeliveries(deliveries)) : {};
  }
  if (arrived.outcome.kind !== "queued" && arrived.outcome.kind !== "duplicate") return {};

  if (mode === "coalesce") {
    return {
      stdout: {
        decision: "block",
        reason: `bg-notify: completion of background task ${notice.taskId} recorded; it will be delivered with others in one combined notice.`,
        hookSpecificOutput: { hookEventName: EVENT, suppressOriginalPrompt: true },
      },
    };
  }

  // summarize: the notice passes; the combined summary rides on it once its batch is due, or once
  // nothing of this parent is still running (no later notice would come to carry it).
  const snapshot = await ctx.store.read();
  const owed = undeliveredBatches(snapshot, sessionId);
  if (owed.length === 0) return {};
  const nothingRunning = activeTasksOf(snapshot, sessionId).length === 0;
  const deliveries = await deliverOwed(ctx, sessionId, { force: nothingRunning, via: "summarize" });
  return deliveries.length > 0 ? contextOutput(EVENT, joinDeliveries(deliveries)) : {};
}
