// What bg-notify saved a session: the wake-ups it used against those Claude Code would have used, and
// the input tokens of the turns it spared, from what the session recorded (its tally) and what its
// transcript says each request cost. The README's "What it saves" says where the estimate can be off.
import { newestRecords } from "./guards.js";
import type { BgState, SessionTally } from "./types.js";

/**
 * Arrival and wake-up times kept per session (newest last), and sessions kept per project: every hook
 * parses state.json, so the tally stays a few kilobytes. Past the bound the figures cover the span both
 * lists still hold (see `keep`).
 */
export const TALLY_KEEP = 100;
export const TALLY_SESSIONS_KEEP = 10;
/** A tally not touched for this long is dropped with the state's pruning. */
export const TALLY_TTL_MS = 7 * 24 * 3600 * 1000;

/** The session's tally, made on first use. */
export function sessionTally(state: BgState, sessionId: string, now: number): SessionTally {
  state.tally ??= {};
  let tally = state.tally[sessionId];
  if (tally === undefined) {
    tally = { completions: 0, idle: [], woke: [], at: now };
    state.tally[sessionId] = tally;
  }
  tally.at = Math.max(tally.at, now);
  return tally;
}

/** Adds a time; once a list is full both keep only the span the full one covers, so they stay comparable. */
function keep(tally: SessionTally, times: number[], at: number): void {
  times.push(at);
  if (times.length <= TALLY_KEEP) return;
  times.splice(0, times.length - TALLY_KEEP);
  const since = times[0] as number;
  for (const list of [tally.idle, tally.woke]) {
    const drop = list.findIndex((t) => t >= since);
    list.splice(0, drop < 0 ? list.length : drop);
  }
}

/** The state's pruning: stale tallies go, and past TALLY_SESSIONS_KEEP the least recently touched. */
export function pruneTallies(state: BgState, now: number): void {
  if (!state.tally) return;
  const kept = newestRecords(state.tally, now, TALLY_TTL_MS, TALLY_SESSIONS_KEEP);
  if (kept === undefined) delete state.tally;
  else state.tally = kept;
}

/**
 * A completion reached the parent. `idle`: between turns, where natively its notice starts a turn of its
 * own (or joins one another notice started); inside a running turn it costs nothing either way.
 */
export function noteCompletion(state: BgState, sessionId: string, now: number, idle: boolean): void {
  const tally = sessionTally(state, sessionId, now);
  tally.completions += 1;
  if (idle) keep(tally, tally.idle, now);
}

/** Where the session's transcript is: what each of its requests cost is read there. */
export function noteTranscript(state: BgState, sessionId: string, path: unknown, now: number): void {
  if (typeof path !== "string" || path === "" || state.tally?.[sessionId]?.transcript === path) return;
  sessionTally(state, sessionId, now).transcript = path;
}

/** bg-notify woke the parent (one claim by a wake-up route, whatever it carried). */
export function noteWakeUp(state: BgState, sessionId: string, now: number): void {
  const tally = sessionTally(state, sessionId, now);
  keep(tally, tally.woke, now);
}

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
export function nativeTurnStarts(idle: readonly number[], turnMs: number): number[] {
  const starts: number[] = [];
  for (const at of [...idle].sort((a, b) => a - b)) {
    const last = starts[starts.length - 1];
    if (last === undefined || at > last + turnMs) starts.push(at);
  }
  return starts;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** What a turn starting at `at` would have sent: the request before it (the earliest known, before any). */
function costAt(requests: readonly RequestCost[], at: number): number {
  let cost = requests[0]?.inputTokens ?? 0;
  for (const r of requests) {
    if (r.at > at) break;
    cost = r.inputTokens;
  }
  return cost;
}

/** The tally against its transcript's costs (undefined: not readable, so no token figure). */
export function estimateSavings(tally: SessionTally, costs?: TranscriptCosts): Savings {
  const ordered = costs ? [...costs.requests].sort((a, b) => a.at - b.at) : undefined;
  const turnMs = median(costs?.turnsMs ?? []) ?? 0;
  const starts = nativeTurnStarts(tally.idle, turnMs);
  const savings: Savings = {
    completions: tally.completions,
    wakeUps: tally.woke.length,
    nativeWakeUps: starts.length,
    savedWakeUps: Math.max(0, starts.length - tally.woke.length),
    turnMs: Math.round(turnMs),
  };
  if (ordered && ordered.length > 0) {
    const native = starts.reduce((sum, at) => sum + costAt(ordered, at), 0);
    const used = tally.woke.reduce((sum, at) => sum + costAt(ordered, at), 0);
    savings.tokensSaved = Math.max(0, native - used);
  }
  return savings;
}

/** The sum over sessions (a project's figure); tokens only over the sessions that have a figure. */
export function totalSavings(all: readonly Savings[]): Savings {
  const total: Savings = { completions: 0, wakeUps: 0, nativeWakeUps: 0, savedWakeUps: 0, turnMs: 0 };
  for (const s of all) {
    total.completions += s.completions;
    total.wakeUps += s.wakeUps;
    total.nativeWakeUps += s.nativeWakeUps;
    total.savedWakeUps += s.savedWakeUps;
    if (s.tokensSaved !== undefined) total.tokensSaved = (total.tokensSaved ?? 0) + s.tokensSaved;
  }
  total.turnMs = median(all.map((s) => s.turnMs)) ?? 0;
  return total;
}
