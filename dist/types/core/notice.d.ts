import type { BackgroundTask, BatchCounts } from "./types.js";
/** Claude Code replaces hook output over 10,000 characters with a file path; stay well under. */
export declare const NOTICE_CHAR_LIMIT = 9000;
/** "3 background tasks finished: 2 completed, 1 failed" — every non-zero status is named, cancelled included. */
export declare function formatBatchNotification(count: number, completedCount: number, failedCount: number, cancelledCount?: number, unknownCount?: number): string;
export interface NoticeInput {
    batchId: string;
    tasks: readonly BackgroundTask[];
    counts: BatchCounts;
    stillRunning: number;
    excerptChars?: number;
    limit?: number;
}
/**
 * Task text is data: angle brackets are escaped so it can never close or open a tag around it; control
 * characters (C0 and C1) and bidirectional overrides, which could hide or reorder what a reader sees, go.
 */
export declare function neutralize(text: string): string;
export declare function noticeHeader(input: NoticeInput): string;
/** The whole notice, failures first, never over `limit` characters, every task listed or counted. */
export declare function renderNotice(input: NoticeInput): string;
