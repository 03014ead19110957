// The hold / wake-up protocol against Claude Code's prompt queue, as pure decisions over plain data: what
// becomes of a completion notice as it arrives, and what the window timer does next. Every delivery
// layer acts on these answers; the timings they rest on are docs/DESIGN.md's "Timing constants" table.

import {
  type BatchLimits,
  findBatchOf,
  lastCompletionAt,
  nextDueAt,
  runningSiblings,
  sentUnacknowledged,
  undeliveredBatches,
} from "./batching.js";
import { asideOf } from "./host.js";
import { batchMarker } from "./summary.js";
import type { Batch, BgState } from "./types.js";

/**
 * How long a wake-up a timer sent counts as on its way (its echo not yet through UserPromptSubmit), and
 * how long a batch that falls due meanwhile waits for that wake-up's answer.
 */
export const WAKE_UP_PENDING_MS = 20_000;
export const WAKE_ANSWER_WAIT_MS = WAKE_UP_PENDING_MS;
/** Below the least time seen from a rewake's claim to Claude Code queuing its echo (40 ms, 12 sessions). */
export const ECHO_QUEUED_AFTER_MS = 30;
/** Past this the timer stops waiting: the next prompt, a tool result, Stop or the session's start deliver. */
export const REWAKE_MAX_WAIT_MS = 90_000;
/**
 * Claude Code screens queued prompts one after another, and a wake-up it queues while a notice is being
 * screened goes with that notice: a turn of its own after the notice's (its batch told twice), or, with
 * the notice held, none at all (tmux, 2.1.332). So while tasks launched with the batch's still run (a
 * burst; an earlier turn's dev server is none), a due batch is claimed in a pause of the notices: none
 * recorded for NOTICES_QUIET_MS (a burst's come 150–330 ms apart, up to 600 ms with both cores busy, 742
 * ms once), at most QUIET_WAIT_MAX_MS late. With none of them left running, it is claimed when due.
 */
export const NOTICES_QUIET_MS = 1200;
export const QUIET_WAIT_MAX_MS = 3000;
/**
 * How long the timer waits for the sync hook's decision on a notice that arrived with a wake-up on its
 * way (both start together; the sync hook's record takes ~100 ms here, more under a burst).
 */
export const DEFER_MS = 1000;
/**
 * The wait re-reads the state this often: held for siblings, a batch falls due when the last of them
 * ends by whatever path (a TaskStop, a reconcile start no timer); and a batch told meanwhile (a typed
 * prompt, `bg-notify flush`) ends the wait, so a long window does not keep a headless CLI from exiting.
 */
export const POLL_MS = 1000;
const ANSWER_POLL_MS = 150;
const LOST_CLAIM_PAUSE_MS = 15;

/**
 * Exactly one layer holds in a session. Where Claude Code loads the hooks module and it holds, it sets
 * this variable in Claude Code's own process, so every command hook started after it sees it and stands
 * down (hooks/run, without node; plugin/runtime.ts, for a bundle run directly).
 */
export const LAYER_MARKER_ENV = "BG_NOTIFY_HELD_BY";
export const LAYER_MARKER_VALUE = "module";

/**
 * The hooks module's timings. Its wake-up is a prompt Claude Code starts once the session is idle, so none
 * of the command hooks' queue races apply; what is left: a batch owed by a process that exited is woken
 * for this long after the session starts again (a prompt at the start, such as `-p` or the person typing,
 * takes it first, with the held notes in the same request), and a wake-up Claude Code did not take is
 * tried again this much later, this many times, before the next turn is left to tell it.
 */
export const MODULE_RESUME_WAKE_MS = 3000;
export const MODULE_RESUBMIT_MS = 5000;
export const MODULE_RESUBMIT_TRIES = 3;

/** Batches a timer sent this parent within `withinMs` that it has not been seen to receive. */
export function recentWakeUps(
  state: BgState,
  parentSessionId: string,
  now: number,
  withinMs: number,
): Batch[] {
  return sentUnacknowledged(state, parentSessionId).filter(
    (b) => b.deliveredVia === "rewake" && (b.deliveredAt as number) >= now - withinMs,
  );
}

/** The ids of this session's wake-ups not yet seen received. */
export function wakeUpsOnTheirWay(state: BgState, parentSessionId: string): string[] {
  return sentUnacknowledged(state, parentSessionId)
    .filter((b) => b.deliveredVia === "rewake")
    .map((b) => b.id);
}

/**
 * A wake-up is on its way: a timer sent one lately and no turn has started since (its echo notes one).
 * Claude Code may hand the echo to UserPromptSubmit in one group with notices queued before it, and asks
 * the model only if the group's first prompt goes through: a notice held then would cost the wake-up.
 */
export function wakeUpPending(
  state: BgState,
  parentSessionId: string,
  now: number,
  /** Count only wake-ups sent at least this long before `now`. */
  sentBeforeMs = 0,
): boolean {
  const turnAt = state.sessions?.[parentSessionId]?.at ?? Number.NEGATIVE_INFINITY;
  return recentWakeUps(state, parentSessionId, now, WAKE_UP_PENDING_MS).some(
    (b) => (b.deliveredAt as number) > turnAt && (b.deliveredAt as number) <= now - sentBeforeMs,
  );
}

/**
 * Claude Code submits a notice that lands while the parent is mid-turn with that turn's prompt_id, and an
 * idle wake-up with a new one. Holding the former would erase it from the turn, so it passes.
 */
export function isInsideRunningTurn(
  state: BgState,
  parentSessionId: string,
  promptId: string | undefined,
): boolean {
  return promptId !== undefined && state.sessions?.[parentSessionId]?.promptId === promptId;
}

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
export function decideArrival(
  state: BgState,
  parentSessionId: string,
  notice: { key: string; promptId: string | undefined },
  now: number,
  whilePending: "decide" | "defer" | "record" = "decide",
): Arrival {
  if (isInsideRunningTurn(state, parentSessionId, notice.promptId)) return "in-turn";
  if (asideOf(state, parentSessionId) !== undefined) return "aside";
  // A wake-up on its way: Claude Code may hand this notice to UserPromptSubmit in one group with the
  // wake-up's echo, ahead of it, and asks the model only if the group's first prompt goes through: held,
  // it would cost the wake-up. So it passes, and rides on that wake-up's request (alone, it starts a
  // turn, as natively). Only a completion nobody recorded yet can be in that group: both hooks of a
  // notice start as Claude Code takes it up, so one recorded before the wake-up was claimed was taken up
  // before its echo existed, and keeps its course (held with its batch). Nor can one taken up within
  // ECHO_QUEUED_AFTER_MS of the claim: Claude Code queued the echo 40–110 ms after it (12 sessions), and
  // such a notice, let through alone, would start a turn of its own and have the wake-up tell its batch
  // a second time.
  if (whilePending === "record" || !wakeUpPending(state, parentSessionId, now, ECHO_QUEUED_AFTER_MS))
    return "hold";
  const batch = findBatchOf(state, notice.key);
  if (batch === undefined && state.ledger[notice.key] === undefined)
    return whilePending === "defer" ? "defer" : "pass-pending";
  return batch?.deliveredVia === "native-pending" ? "pass-with-sibling" : "hold";
}

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
  | { kind: "stop" }
  | { kind: "wait"; ms: number; why: "window" | "quiet" | "answer" }
  /** Read the transcript for these wake-up markers and decide again with `answered`. */
  | { kind: "look"; markers: string[] }
  /** Learn from the transcript what a turn already carried (held notices, stops), then decide again. */
  | { kind: "settle" }
  /** Claim every owed batch (the wake-up's request carries every held notice) and wake the parent. */
  | { kind: "claim" };

/** The window timer's next step: due, in a pause of the notices, no earlier wake-up unanswered, settled. */
export function nextTimerStep(view: TimerView): TimerStep {
  const { state, sessionId, now } = view;
  const dueAt = nextDueAt(state, sessionId, view.limits);
  if (dueAt === undefined) return { kind: "stop" };
  if (dueAt > now) {
    if (dueAt > view.giveUpAt) return { kind: "stop" };
    return { kind: "wait", ms: Math.min(dueAt - now, POLL_MS), why: "window" };
  }
  const quietAt = (lastCompletionAt(state, sessionId) ?? 0) + NOTICES_QUIET_MS;
  if (quietAt > now && now < dueAt + QUIET_WAIT_MAX_MS && burstRunning(state, sessionId))
    return { kind: "wait", ms: Math.min(quietAt, dueAt + QUIET_WAIT_MAX_MS) - now, why: "quiet" };
  // Asked on every pass: a wake-up that won the claim race went out after this one settled.
  const markers = recentWakeUps(state, sessionId, now, WAKE_ANSWER_WAIT_MS).map((b) => batchMarker(b.id));
  if (markers.length > 0) {
    if (view.answered === undefined) return { kind: "look", markers };
    // Unreadable, nothing can be learnt by waiting.
    if (view.answered !== "unreadable" && markers.some((m) => !(view.answered as Set<string>).has(m)))
      return { kind: "wait", ms: ANSWER_POLL_MS, why: "answer" };
  }
  // Held notices a turn has carried since (drained into its request, and answered) need no wake-up.
  if (!view.settled) return { kind: "settle" };
  return { kind: "claim" };
}

/** A task launched in the same turn as one of the owed completions still runs: more of its burst may come. */
function burstRunning(state: BgState, sessionId: string): boolean {
  return undeliveredBatches(state, sessionId).some((b) => runningSiblings(state, b).length > 0);
}

/** After a claim another process won: look again shortly, unless the timer's time is up. */
export function afterLostClaim(now: number, giveUpAt: number): Extract<TimerStep, { kind: "stop" | "wait" }> {
  return now > giveUpAt ? { kind: "stop" } : { kind: "wait", ms: LOST_CLAIM_PAUSE_MS, why: "window" };
}
