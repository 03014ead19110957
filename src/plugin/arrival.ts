// A completion notice as either of its two UserPromptSubmit hooks records it, in one transaction: the
// Claude Code the session runs on (read once from its transcript), the record (core/protocol.ts decides
// its course), the session's transcript for its savings, and, when it leaves nothing of the session
// running between turns, the "all done" claim.
import type { HookInput } from "../claude/hook-input.js";
import type { ParsedNotice } from "../claude/task-notification.js";
import { type ArrivedNoticeOutcome, recordArrivedNotice } from "../claude/track-notices.js";
import { transcriptVersion } from "../claude/transcript.js";
import { type AllDone, claimAllDone } from "../core/all-done.js";
import { claimAsideLine, needsHostVersion, noteHostVersion } from "../core/host.js";
import { isInsideRunningTurn } from "../core/protocol.js";
import { noteTranscript } from "../core/savings.js";
import type { HookContext } from "./context.js";

export async function recordArrival(
  ctx: HookContext,
  input: HookInput,
  notice: ParsedNotice,
  at: number,
  whilePending: "decide" | "defer" | "record" = "decide",
): Promise<{ arrived: ArrivedNoticeOutcome; allDone: AllDone | undefined; asideLine?: string }> {
  const sessionId = input.session_id;
  let allDone: AllDone | undefined;
  let asideLine: string | undefined;
  const arrived = await ctx.notifications.transact((state, record) => {
    if (needsHostVersion(state, sessionId)) {
      const version = transcriptVersion(input.transcript_path);
      if (version !== undefined) noteHostVersion(state, sessionId, version, at);
    }
    const outcome = recordArrivedNotice(state, sessionId, notice, input.prompt_id, at, record, whilePending);
    noteTranscript(state, sessionId, input.transcript_path, at);
    // The sync hook says it: its output is shown; the timer's is not.
    if (whilePending === "decide") asideLine = claimAsideLine(state, sessionId, at);
    if (
      ctx.config.notifyAllDone &&
      !("deferred" in outcome) &&
      !("aside" in outcome) &&
      !isInsideRunningTurn(state, sessionId, input.prompt_id)
    )
      allDone = claimAllDone(state, sessionId, at);
    return outcome;
  }, at);
  return { arrived, allDone, ...(asideLine ? { asideLine } : {}) };
}
