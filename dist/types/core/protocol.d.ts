import { type BatchLimits } from "./batching.js";
import type { Batch, BgState } from "./types.js";
/**
 * How long a wake-up a timer sent counts as on its way (its echo not yet through UserPromptSubmit), and
 * how long a batch that falls due meanwhile waits for that wake-up's answer.
 */
export declare const WAKE_UP_PENDING_MS = 20000;
export declare const WAKE_ANSWER_WAIT_MS = 20000;
/** Below the least time seen from a rewake's claim to Claude Code queuing its echo (40 ms, 12 sessions). */
export declare const ECHO_QUEUED_AFTER_MS = 30;
/** Past this the timer stops waiting: the next prompt, a tool result, Stop or the session's start deliver. */
export declare const REWAKE_MAX_WAIT_MS = 90000;
/**
 * Claude Code screens queued prompts one after another, and a wake-up it queues while a notice is being
 * screened goes with that notice: a turn of its own after the notice's (its batch told twice), or, with
 * the notice held, none at all (tmux, 2.1.332). So while tasks launched with the batch's still run (a
 * burst; an earlier turn's dev server is none), a due batch is claimed in a pause of the notices: none
 * recorded for NOTICES_QUIET_MS (a burst's come 150–330 ms apart, up to 600 ms with both cores busy, 742
 * ms once), at most QUIET_WAIT_MAX_MS late. With none of them left running, it is claimed when due.
 */
export declare const NOTICES_QUIET_MS = 1200;
export declare const QUIET_WAIT_MAX_MS = 3000;
/**
 * How long the timer waits for the sync hook's decision on a notice that arrived with a wake-up on its
 * way (both start together; the sync hook's record takes ~100 ms here, more under a burst).
 */
export declare const DEFER_MS = 1000;
/**
 * The wait re-reads the state this often: held for siblings, a batch falls due when the last of them
 * ends by whatever path (a TaskStop, a reconcile start no timer); and a batch told meanwhile (a typed
 * prompt, `bg-notify flush`) ends the wait, so a long window does not keep a headless CLI from exiting.
 */
export declare const POLL_MS = 1000;
/**
 * Exactly one layer holds in a session. Where Claude Code loads the hooks module and it holds, it sets
 * this variable in Claude Code's own process, so every command hook started after it sees it and stands
 * down (hooks/run, without node; plugin/runtime.ts, for a bundle run directly).
 */
export declare const LAYER_MARKER_ENV = "BG_NOTIFY_HELD_BY";
export declare const LAYER_MARKER_VALUE = "module";
/**
 * The hooks module's timings. Its wake-up is a prompt Claude Code starts once the session is idle, so none
 * of the command hooks' queue races apply; what is left: a batch owed by a process that exited is woken
 * for this long after the session starts again (a prompt at the start, such as `-p` or the person typing,
 * takes it first, with the held notes in the same request), and a wake-up Claude Code did not take is
 * tried again this much later, this many times, before the next turn is left to tell it.
 */
export declare const MODULE_RESUME_WAKE_MS = 3000;
export declare const MODULE_RESUBMIT_MS = 5000;
export declare const MODULE_RESUBMIT_TRIES = 3;
/** Batches a timer sent this parent within `withinMs` that it has not been seen to receive. */
export declare function recentWakeUps(state: BgState, parentSessionId: string, now: number, withinMs: number): Batch[];
/** The ids of this session's wake-ups not yet seen received. */
export declare function wakeUpsOnTheirWay(state: BgState, parentSessionId: string): string[];
/**
 * A wake-up is on its way: a timer sent one lately and no turn has started since (its echo notes one).
 * Claude Code may hand the echo to UserPromptSubmit in one group with notices queued before it, and asks
 * the model only if the group's first prompt goes through: a notice held then would cost the wake-up.
 */
export declare function wakeUpPending(state: BgState, parentSessionId: string, now: number, 
/** Count only wake-ups sent at least this long before `now`. */
sentBeforeMs?: number): boolean;
/**
 * Claude Code submits a notice that lands while the parent is mid-turn with that turn's prompt_id, and an
 * idle wake-up with a new one. Holding the former would erase it from the turn, so it passes.
 */
export declare function isInsideRunningTurn(state: BgState, parentSessionId: string, promptId: string | undefined): boolean;
/**
 * What becomes of a completion notice as it arrives:
 * - `in-turn`: it landed inside the running turn, which Claude Code folds it into: told natively;
 * - `pass-pending`: a wake-up is on its way and nobody recorded this completion: it passes and rides on
 *   that wake-up's request, told natively;
 * - `pass-with-sibling`: the layer's other hook let it pass already;
 * - `aside`: bg-notify steps aside for this session (core/host.ts): it passes and starts its own turn,
 *   told natively, and leaves any batch the other hook put it in;
 * - `defer`: (the timer, while a wake-up is on its way) the sync hook decides; look again;
 * - `hold`: recorded in an owed batch and held.
 */
export type Arrival = "in-turn" | "pass-pending" | "pass-with-sibling" | "aside" | "defer" | "hold";
/**
 * `whilePending`: what this hook does with a completion nobody recorded yet while a wake-up is on its way:
 * the sync hook decides; the timer defers to it or, once it has waited long enough, records it as any other.
 */
export declare function decideArrival(state: BgState, parentSessionId: string, notice: {
    key: string;
    promptId: string | undefined;
}, now: number, whilePending?: "decide" | "defer" | "record"): Arrival;
/** What the window timer sees on one pass: the state, the clock, and what it learnt so far. */
export interface TimerView {
    state: BgState;
    sessionId: string;
    now: number;
    limits: BatchLimits;
    /** When the timer gives up waiting (REWAKE_MAX_WAIT_MS after it started). */
    giveUpAt: number;
    /** Held notices were checked against the transcript since the last wait for an answer. */
    settled: boolean;
    /**
     * Of the markers a `look` step asked for, those the transcript shows answered; `"unreadable"` when it
     * cannot be read; absent until looked for on this pass.
     */
    answered?: ReadonlySet<string> | "unreadable";
}
export type TimerStep = 
/** Nothing owed, or not due before the timer gives up: the other routes deliver. */
{
    kind: "stop";
} | {
    kind: "wait";
    ms: number;
    why: "window" | "quiet" | "answer";
}
/** Read the transcript for these wake-up markers and decide again with `answered`. */
 | {
    kind: "look";
    markers: string[];
}
/** Learn from the transcript what a turn already carried (held notices, stops), then decide again. */
 | {
    kind: "settle";
}
/** Claim every owed batch (the wake-up's request carries every held notice) and wake the parent. */
 | {
    kind: "claim";
};
/** The window timer's next step: due, in a pause of the notices, no earlier wake-up unanswered, settled. */
export declare function nextTimerStep(view: TimerView): TimerStep;
/** After a claim another process won: look again shortly, unless the timer's time is up. */
export declare function afterLostClaim(now: number, giveUpAt: number): Extract<TimerStep, {
    kind: "stop" | "wait";
}>;
