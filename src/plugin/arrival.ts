// A completion notice as either of its two UserPromptSubmit hooks records it, in one transaction: the
// record (core/protocol.ts decides its course), the session's transcript for its savings, and, when it
// leaves nothing of the session running between turns, the "all done" claim.
import type { HookInput } from "../claude/hook-input.js";
import type { ParsedNotice } from "../claude/task-notification.js";
import { type ArrivedNoticeOutcome, recordArrivedNotice } from "../claude/track-notices.js";
import { type AllDone, claimAllDone } from "../core/all-done.js";
import { isInsideRunningTurn } from "../core/protocol.js";
import { noteTranscript } from "../core/savings.js";
import type { HookContext } from "./context.js";

export async function recordArrival(
  ctx: HookContext,
  input: HookInput,
  notice: ParsedNotice,
  at: number,
  whilePending: "decide" | "defer" | "record" = "decide",
): Promise<{ arrived: ArrivedNoticeOutcome; allDone: AllDone | undefined }> {
  const sessionId = input.session_id;
  let allDone: AllDone | undefined;
  const arrived = await ctx.notifications.transact((state, record) => {
    const outcome = recordArrivedNotice(state, sessionId, notice, input.prompt_id, at, record, whilePending);
    noteTranscript(state, sessionId, input.transcript_path, at);
    if (
      ctx.config.notifyAllDone &&
      !("deferred" in outcome) &&
      !isInsideRunningTurn(state, sessionId, input.prompt_id)
    )
      allDone = claimAllDone(state, sessionId, at);
    return outcome;
  }, at);
  return { arrived, allDone };
}
