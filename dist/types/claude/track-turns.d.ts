import type { BgState } from "../core/types.js";
/** The turn now running for a parent: notices carrying its prompt_id arrive inside it, not as wake-ups. */
export declare function noteRunningTurn(state: BgState, parentSessionId: string, promptId: string | undefined, now: number): void;
/**
 * The turn a prompt that is not a completion notice starts, if it is worth remembering: while anything
 * could still report into it (a batch owed, a task running, a wake-up on its way). A wake-up on its way
 * ends here (its echo, or a typed prompt that carries the same notices), prompt_id or not.
 */
export declare function turnToNote(state: BgState, parentSessionId: string, promptId: string | undefined, now: number): string | undefined;
/**
 * Notes the turn such a prompt starts (see `turnToNote`) as of `at`. A prompt hooks/run queued is folded in
 * later; one folded after a later turn was noted (its file written just after a hook read the inbox)
 * does not take that turn back.
 */
export declare function notePromptTurn(state: BgState, parentSessionId: string, promptId: string | undefined, at: number): void;
