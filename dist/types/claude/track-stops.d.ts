import { type NativeDeliveryOutcome } from "../core/told.js";
import type { BgState } from "../core/types.js";
import type { BackgroundTaskEntry, HookInput } from "./hook-input.js";
import type { ParsedNotice } from "./task-notification.js";
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
/**
 * The model stopped a background task itself (TaskStop): it is cancelled, and told by that tool's own
 * result in the running turn, so it is recorded as told and never batched or woken for.
 */
export declare function recordModelStop(state: BgState, parentSessionId: string, taskId: string, now: number): NativeDeliveryOutcome | undefined;
