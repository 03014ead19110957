import { type EnqueueOutcome, type NativeDeliveryOutcome, type RecordCompletion } from "../core/batching.js";
import type { BackgroundTask, BgState } from "../core/types.js";
import type { BackgroundTaskEntry, HookInput } from "./hook-input.js";
import type { ParsedNotice } from "./task-notification.js";
export interface LaunchInfo {
    id: string;
    kind: "shell" | "agent";
    description?: string;
    command?: string;
    agentType?: string;
    model?: string;
    outputFile?: string;
    toolUseId?: string;
    concurrencyKey?: string;
    /** The subagent whose tool call launched it (the hook input's `agent_id`). */
    ownerAgentId?: string;
    /** The parent's turn that launched it (the hook input's `prompt_id`). */
    turnId?: string;
    /** How long the launching tool call took (the hook input's `duration_ms`). */
    toolMs?: number;
}
/**
 * A launch, whether its PostToolUse ran node or was queued by the launcher (src/store/launch-inbox.ts):
 * the task, running, and the parent's turn that launched it. `at` is when the launch reached the hook.
 */
export declare function recordLaunch(state: BgState, parentSessionId: string, launch: LaunchInfo, at: number): BackgroundTask;
/** A background task Claude Code just launched, now running. */
export declare function registerLaunch(state: BgState, parentSessionId: string, launch: LaunchInfo, now: number): BackgroundTask;
/** The terminal task a notice describes, merged with what we knew from its launch. */
export declare function taskFromNotice(state: BgState, parentSessionId: string, notice: ParsedNotice, now: number): BackgroundTask;
export declare function recordNotice(state: BgState, parentSessionId: string, notice: ParsedNotice, now: number, record: RecordCompletion): EnqueueOutcome;
export interface SubagentInfo {
    agentId: string;
    agentType?: string;
}
/** SubagentStart: a new agent, or a finished one that was resumed (its next completion is a new one). */
export declare function recordSubagentStart(state: BgState, parentSessionId: string, info: SubagentInfo, now: number): void;
export interface SubagentStopInfo extends SubagentInfo {
    lastMessage?: string;
    listedInBackground: boolean;
    /** Ids Claude Code still lists as in flight at this stop. */
    listedIds: readonly string[];
}
export type SubagentStopOutcome = EnqueueOutcome | {
    kind: "foreground";
} | {
    kind: "waiting";
    on: string[];
};
/** SubagentStop: a background agent's result is recorded now; its notice, when it comes, is a repeat. */
export declare function recordSubagentStop(state: BgState, parentSessionId: string, info: SubagentStopInfo, now: number, record: RecordCompletion): SubagentStopOutcome;
/**
 * A subagent's own background work ends with the subagent (Claude Code resumes an agent until its own
 * work is done, and a killed one takes it along). Its outcomes went to the agent, never to the parent,
 * so nothing is told; it only stops counting as running. Returns the ids ended.
 */
export declare function endAgentOwnWork(state: BgState, parentSessionId: string, agentId: string, now: number): string[];
/**
 * SessionEnd (the process exits): Claude Code stops the session's background work with it and, on a
 * resume, reports it stopped itself. Nothing of this session counts as running afterwards: a subagent's
 * own work ends quietly, the parent's is recorded as told by Claude Code (never held, never summarised).
 */
export declare function endSessionWork(state: BgState, parentSessionId: string, now: number): string[];
/**
 * Stops Claude Code tells the model itself (a user's `stop_task`: its "killed" notice goes through no
 * hook and starts no turn; the transcript queues it at once): recorded as told natively, so nothing
 * counts the task as running any more and no batch tells it again. Returns the ids recorded.
 */
export declare function recordQueuedStops(state: BgState, parentSessionId: string, notices: readonly ParsedNotice[], now: number): string[];
/** Claude Code's own list of the parent's in-flight background work (Stop, SubagentStop), if the input has one. */
export declare function listedBackgroundTasks(input: HookInput): readonly BackgroundTaskEntry[] | undefined;
/** Whether reconciling would change anything: a listed task we do not know, or one of ours that left. */
export declare function needsReconcile(state: BgState, parentSessionId: string, listed: readonly BackgroundTaskEntry[]): boolean;
export interface ReconcileResult {
    registered: string[];
    vanished: string[];
    /** Tasks that left the list without a notice, past the grace period: recorded as stopped. */
    stopped: string[];
}
/**
 * Stop's `background_tasks` is Claude Code's view of what still runs. A task that leaves it without a
 * notice through UserPromptSubmit was stopped: by the model (TaskStop, whose result tells the model and
 * which PostToolUse records at once) or by the user or an app (`stop_task`: Claude Code hands the model
 * its own "killed" notice on the next request, through no hook). After a grace period (a completion's
 * notice may trail its leaving the list) it is recorded as stopped and told natively, never held and
 * never reported as "unknown"; a completion notice that still comes later is recorded as usual.
 */
export declare function reconcileBackgroundTasks(state: BgState, parentSessionId: string, listed: readonly BackgroundTaskEntry[], now: number, graceMs: number): ReconcileResult;
/** The tier of the parent's most recent agent, for a launch that names no model. */
export declare function lastAgentModel(state: BgState, parentSessionId: string): string | undefined;
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
export type ArrivedNoticeOutcome = {
    inTurn: true;
    outcome: NativeDeliveryOutcome;
} | {
    inTurn: false;
    outcome: EnqueueOutcome;
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
 * Held notices the model has already been sent whole: they stood in the conversation when another
 * prompt's turn (a wake-up, a typed prompt) made its request, and a reply to it came. Told natively,
 * they leave their batch, so no later wake-up tells them again.
 */
export declare function recordNoticesSeen(state: BgState, parentSessionId: string, seenPrompts: ReadonlySet<string>, now: number): string[];
/**
 * The model stopped a background task itself (TaskStop): it is cancelled, and told by that tool's own
 * result in the running turn, so it is recorded as told and never batched or woken for.
 */
export declare function recordModelStop(state: BgState, parentSessionId: string, taskId: string, now: number): NativeDeliveryOutcome | undefined;
/**
 * The parent read a finished task's output file itself (the Read tool, as Claude Code 2.1.332 tells it
 * to): its held completion is told, and wakes no one; a batch left empty is dropped. Only a completion
 * bg-notify has recorded counts: a read while it still runs is partial.
 */
export declare function recordParentRead(state: BgState, parentSessionId: string, path: string, now: number): string[];
/** Whether `recordParentRead` would tell anything (a lock-free look first). */
export declare function heldOutputRead(state: BgState, parentSessionId: string, path: string): boolean;
