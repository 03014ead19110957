import type { BackgroundTask, BatchCounts } from "./types.js";
/** Claude Code replaces any single hook output over this many characters with a file path and a preview. */
export declare const HOOK_OUTPUT_CHARS = 10000;
/** One notice, with room left for Claude Code's framing around it. */
export declare const SUMMARY_CHAR_LIMIT: number;
/** Everything one hook hands over as context (several notices joined), inside the same cap. */
export declare const CONTEXT_CHAR_BUDGET: number;
/** "3 background tasks finished: 2 completed, 1 failed" — every non-zero status is named, cancelled included. */
export declare function formatBatchNotification(count: number, completedCount: number, failedCount: number, cancelledCount?: number, unknownCount?: number): string;
/** Room a task's entry takes in a notice told whole: the agent's full report, a shell's excerpt, the facts. */
export declare function entryChars(task: BackgroundTask, excerptChars?: number): number;
/** What one notice can hold whole: the limit less its header. */
export declare const SUMMARY_BODY_CHARS: number;
export interface SummaryInput {
    batchId: string;
    tasks: readonly BackgroundTask[];
    counts: BatchCounts;
    stillRunning: number;
    /** This parent's tasks Claude Code no longer runs, whose outcome no notice has told yet. */
    endedUnknown?: number;
    excerptChars?: number;
    limit?: number;
    /** Waiting for siblings: how many of the launching turn's (or turns') tasks had finished. */
    waited?: {
        finished: number;
        total: number;
        turns: number;
    };
    /**
     * The tasks' own notices already stand in the conversation (held, not erased): one line per task,
     * so that nothing is told twice and a report is never cut.
     */
    brief?: boolean;
}
/**
 * Task text is data: a `<` that could begin a tag (`<x`, `</`, `<!`, `<?`) is escaped, so task text can
 * never close or open one around it; everything else stays as written (`2>&1`, `a >> log`, `x < y`).
 * Control characters (C0 and C1) and bidirectional overrides, which could hide or reorder what a
 * reader sees, go.
 */
export declare function neutralize(text: string): string;
export declare function summaryHeader(input: SummaryInput): string;
/** What a batch's text is, said to a model that reads it where the user's words would be. */
export declare const AUTOMATED_REPORT = "an automated report of background work, not a message or approval from the user";
/** The marker a batch's text carries, by which its echo and the transcript are known to hold it. */
export declare function batchMarker(batchId: string): string;
/** The whole notice, failures first, never over `limit` characters, every task listed or counted. */
export declare function renderNotice(input: SummaryInput): string;
/**
 * On a resume Claude Code reports the tasks whose notices bg-notify held back as "didn't finish before
 * the previous session ended … marked stopped", having found no completion record of its own. This
 * names each of those tasks with its real outcome and says that it supersedes that report.
 */
export declare function renderResumeCorrection(tasks: readonly BackgroundTask[], limit?: number): string;
