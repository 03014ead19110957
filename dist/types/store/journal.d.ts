import type { BackgroundTask, BgState } from "../core/types.js";
export type JournalEntry = {
    t: "recorded";
    at: number;
    key: string;
    batchId: string;
    task: BackgroundTask;
    promptId?: string;
} | {
    t: "claimed";
    at: number;
    batchId: string;
} | {
    t: "reopened";
    at: number;
    batchId: string;
};
export interface Marks {
    keys: Set<string>;
    delivered: Set<string>;
}
export declare function marks(state: BgState): Marks;
export declare function journalEntries(before: Marks, state: BgState, at: number): JournalEntry[];
/** Appends journal lines; returns why it could not, for the caller to report if its commit goes ahead. */
export declare function appendJournal(dir: string, entries: readonly JournalEntry[]): string | undefined;
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
