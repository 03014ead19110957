/**
 * What a `<task-notification>` tells, as Claude Code 2.1.332 sends them. Only a `completion` (a shell or
 * agent reached completed / failed / killed / stopped) is held back and batched; every other kind passes
 * to the parent untouched, as it would without the plugin.
 */
export type NoticeKind = "completion" | "monitor-event" | "monitor-end" | "agent-waiting" | "orphan-report" | "stall" | "unknown";
export interface ParsedNotice {
    noticeKind: NoticeKind;
    taskId: string;
    toolUseId?: string;
    outputFile?: string;
    status: string;
    summary?: string;
    result?: string;
    exitCode?: number;
    kind: "shell" | "agent";
    description?: string;
    usage?: {
        tokens?: number;
        toolUses?: number;
        durationMs?: number;
    };
}
/**
 * A task the person (or an app on the session) stopped: Claude Code queues this notice and hands it to the
 * model with its next request itself, through no hook and no prompt (2.1.332; test/fixtures/user-stop-task).
 */
export declare function isStoppedByPerson(notice: ParsedNotice): boolean;
export declare function isTaskNotification(prompt: string): boolean;
/**
 * What a notice prompt carries (see `noticeKind`), or undefined for any other prompt (including our echo).
 * A prompt that opens like a notice but is not exactly one envelope of fields (two envelopes in one
 * prompt, say), or carries a task's fields without a usable `<task-id>`, is an `unknown` notice (its
 * `taskId` empty when it has none): it passes untouched, whole.
 */
export declare function parseTaskNotification(prompt: string): ParsedNotice | undefined;
