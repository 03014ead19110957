import type { BackgroundTask, BgState, JournalMark } from "../core/types.js";
/** `c`: the count of the commit that wrote the line (state.json's `commits` once it committed). */
export type JournalEntry = {
    t: "recorded";
    at: number;
    key: string;
    batchId: string;
    task: BackgroundTask;
    promptId?: string;
    c?: number;
} | {
    t: "claimed";
    at: number;
    batchId: string;
    c?: number;
} | {
    t: "reopened";
    at: number;
    batchId: string;
    c?: number;
};
export interface Marks {
    keys: Set<string>;
    delivered: Set<string>;
}
export declare function marks(state: BgState): Marks;
export declare function journalEntries(before: Marks, state: BgState, at: number): JournalEntry[];
/** The journal lines of commit number `count`, as one text to append. */
export declare function journalText(entries: readonly JournalEntry[], count: number): string;
/**
 * Where a commit's journal lines will stand: the journal is rotated first if it must be, so the lines
 * go to the file the mark names. Undefined when the journal cannot be looked at (the state then keeps no
 * mark, and nothing is put back after it).
 */
export declare function journalMark(dir: string, text: string): JournalMark | undefined;
/**
 * Appends a commit's lines, after its rename: the journal holds only what committed, so nothing put back
 * from it was a transaction that failed. Returns why it could not, for the caller to report.
 */
export declare function appendJournal(dir: string, text: string): string | undefined;
/**
 * Puts back into `state` what commits after its own wrote and it lacks: every completion recorded (into
 * its batch, or a batch of its own when that batch was told since), every batch reopened. Claims are not
 * replayed: a claim that was overwritten is told again, never lost. Returns how many lines changed it.
 */
export declare function replayLostCommits(dir: string, state: BgState): number;
export interface Recovered {
    state: BgState;
    /** Completions recorded into a batch never claimed: owed again. */
    owed: number;
    /** Log lines passed over: cut short by a kill, or not as this version writes them. */
    skipped: number;
}
/**
 * Rebuilds what was owed from the journal and the event log (`background_task_completed` records carry
 * the key and batch id; `background_tasks_notification` marks a batch told): every recorded completion
 * goes back into the ledger, and those whose batch was never claimed are owed again, in their batch.
 * Each line stands alone: one that does not validate is skipped and counted, never voids the rest.
 */
export declare function recoverFromLogs(dir: string, now: number): Recovered;
