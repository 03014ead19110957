import { type EnqueueOutcome, type RecordCompletion } from "../core/batching.js";
import { type NativeDeliveryOutcome } from "../core/told.js";
import type { BackgroundTask, BgState } from "../core/types.js";
import type { ParsedNotice } from "./task-notification.js";
/** The terminal task a notice describes, merged with what we knew from its launch. */
export declare function taskFromNotice(state: BgState, parentSessionId: string, notice: ParsedNotice, now: number): BackgroundTask;
export declare function recordNotice(state: BgState, parentSessionId: string, notice: ParsedNotice, now: number, record: RecordCompletion): EnqueueOutcome;
export type ArrivedNoticeOutcome = {
    inTurn: true;
    outcome: NativeDeliveryOutcome;
} | {
    inTurn: false;
    outcome: EnqueueOutcome;
}
/** bg-notify steps aside for this session: the notice passes and starts its own turn, told natively. */
 | {
    inTurn: false;
    aside: true;
    outcome: NativeDeliveryOutcome;
}
/** The rewake's record, put off: a wake-up is on its way, and the sync hook decides. */
 | {
    inTurn: false;
    deferred: true;
};
/**
 * A notice as it reaches UserPromptSubmit, recorded as `decideArrival` (core/protocol.ts) decides: told
 * natively or queued for a combined notice, in one transaction, from the state it commits against.
 */
export declare function recordArrivedNotice(state: BgState, parentSessionId: string, notice: ParsedNotice, promptId: string | undefined, now: number, record: RecordCompletion, whilePending?: "decide" | "defer" | "record"): ArrivedNoticeOutcome;
/** Whether this notice's completion is recorded already (in a batch, or in the ledger). */
export declare function isNoticeKnown(state: BgState, parentSessionId: string, notice: ParsedNotice, now: number): boolean;
/** The prompts whose held notices are still waiting for their batch: what `recordNoticesSeen` looks for. */
export declare function heldNoticePrompts(state: BgState, parentSessionId: string): string[];
/**
 * Whether `promptId` is the prompt of a notice bg-notify held (owed, or told by its own wake-up or
 * context since): such a prompt starts no turn while Claude Code honours the hold.
 */
export declare function isHeldNoticePrompt(state: BgState, parentSessionId: string, promptId: string): boolean;
/**
 * Held notices the model has already been sent whole: they stood in the conversation when another
 * prompt's turn (a wake-up, a typed prompt) made its request, and a reply to it came. Told natively,
 * they leave their batch, so no later wake-up tells them again.
 */
export declare function recordNoticesSeen(state: BgState, parentSessionId: string, seenPrompts: ReadonlySet<string>, now: number): string[];
/**
 * The parent read a finished task's output file itself (the Read tool, as Claude Code 2.1.332 tells it
 * to): its held completion is told, and wakes no one; a batch left empty is dropped. Only a completion
 * bg-notify has recorded counts: a read while it still runs is partial.
 */
export declare function recordParentRead(state: BgState, parentSessionId: string, path: string, now: number): string[];
/** Whether `recordParentRead` would tell anything (a lock-free look first). */
export declare function heldOutputRead(state: BgState, parentSessionId: string, path: string): boolean;
