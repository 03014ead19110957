import type { BgState } from "./types.js";
/** What a signal says: the tasks that ended since the last one. */
export interface AllDone {
    tasks: number;
    failed: number;
}
/**
 * The signal, if it is due: nothing of the parent still runs, and a completion came since the last
 * signal. Claiming it records when, so no other process (nor this one again) signals the same work.
 */
export declare function claimAllDone(state: BgState, parentSessionId: string, now: number): AllDone | undefined;
/** The signal's words: "All background work done: 3 tasks finished, 1 failed." */
export declare function allDoneText(done: AllDone): string;
