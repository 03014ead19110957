import type { BgState, SessionTally } from "./types.js";
/**
 * Arrival and wake-up times kept per session (newest last), and sessions kept per project: every hook
 * parses state.json, so the tally stays a few kilobytes. Past the bound the figures cover the span both
 * lists still hold (see `keep`).
 */
export declare const TALLY_KEEP = 100;
export declare const TALLY_SESSIONS_KEEP = 10;
/** A tally not touched for this long is dropped with the state's pruning. */
export declare const TALLY_TTL_MS: number;
/** The session's tally, made on first use. */
export declare function sessionTally(state: BgState, sessionId: string, now: number): SessionTally;
/** The state's pruning: stale tallies go, and past TALLY_SESSIONS_KEEP the least recently touched. */
export declare function pruneTallies(state: BgState, now: number): void;
/**
 * A completion reached the parent. `idle`: between turns, where natively its notice starts a turn of its
 * own (or joins one another notice started); inside a running turn it costs nothing either way.
 */
export declare function noteCompletion(state: BgState, sessionId: string, now: number, idle: boolean): void;
/** Where the session's transcript is: what each of its requests cost is read there. */
export declare function noteTranscript(state: BgState, sessionId: string, path: unknown, now: number): void;
/** bg-notify woke the parent (one claim by a wake-up route, whatever it carried). */
export declare function noteWakeUp(state: BgState, sessionId: string, now: number): void;
/** One request of the session's main conversation, as its transcript records the answer. */
export interface RequestCost {
    /** When the answer was written (ms). */
    at: number;
    /** What the request sent: input + cache-read + cache-creation tokens. */
    inputTokens: number;
}
/** What a session's transcript says its requests cost and how long its turns ran. */
export interface TranscriptCosts {
    requests: RequestCost[];
    /** Each turn, from its prompt to its last answer (ms). */
    turnsMs: number[];
}
export interface Savings {
    completions: number;
    wakeUps: number;
    /** The turns Claude Code would have started for the same completions (see `nativeTurnStarts`). */
    nativeWakeUps: number;
    savedWakeUps: number;
    /**
     * Input tokens the spared turns would have sent: each native turn at the cost of the request before
     * it, less each wake-up's. Undefined without a readable transcript.
     */
    tokensSaved?: number;
    /** How long a native turn is taken to last (the median of the session's own): notices within it join it (ms). */
    turnMs: number;
}
/**
 * When Claude Code would have started a turn for these idle arrivals: at the first, and at each later
 * one that arrives after the turn before it has ended (`turnMs` on); those arriving within it are
 * handed to that turn, as Claude Code hands it notices queued while it runs.
 */
export declare function nativeTurnStarts(idle: readonly number[], turnMs: number): number[];
/** The tally against its transcript's costs (undefined: not readable, so no token figure). */
export declare function estimateSavings(tally: SessionTally, costs?: TranscriptCosts): Savings;
/** The sum over sessions (a project's figure); tokens only over the sessions that have a figure. */
export declare function totalSavings(all: readonly Savings[]): Savings;
