// The parent's running turn (its prompt_id): a notice carrying it lands inside that turn and is told
// by it, not held.
import { undeliveredBatches } from "../core/batching.js";
import { isInsideRunningTurn, wakeUpPending } from "../core/protocol.js";
import { activeTasksOf } from "../core/running.js";
import type { BgState } from "../core/types.js";

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
