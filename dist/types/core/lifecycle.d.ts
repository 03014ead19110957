import type { BackgroundTask, TaskStatus, TerminalStatus } from "./types.js";
/**
 * `originalStatus` of a task that ended where no notice told how (a subagent's own work, ended with its
 * agent): bg-notify knows it no longer runs, not how it went.
 */
export declare const ENDED_WITHOUT_NOTICE = "ended";
/** How bg-notify names a task it knows ended without knowing how, in a summary and in `status`. */
export declare const ENDED_UNKNOWN_WHY = "outcome unknown to bg-notify";
export declare const ENDED_UNKNOWN_TEXT = "ended (outcome unknown to bg-notify)";
/**
 * A task Claude Code no longer runs whose outcome no notice told bg-notify: gone from Claude Code's
 * `background_tasks` with no notice yet, or ended without one.
 */
export declare function endedWithoutOutcome(task: BackgroundTask): boolean;
export declare function isTerminal(status: TaskStatus): status is TerminalStatus;
export declare function isActive(task: BackgroundTask): boolean;
export declare function canTransition(from: TaskStatus, to: TaskStatus): boolean;
export declare function transitionTask(task: BackgroundTask, to: TaskStatus, now: number, patch?: Partial<BackgroundTask>): BackgroundTask;
/** A finished agent that Claude Code resumed: its next completion must count as a new one. */
export declare function resumeTask(task: BackgroundTask, now: number): BackgroundTask;
/** Claude Code's notice words mapped to our statuses; the original word is kept on the task. */
export declare function statusFromClaude(word: string): TerminalStatus;
export declare function isStale(task: BackgroundTask, now: number, staleTimeoutMs: number): boolean;
export declare function durationMs(task: BackgroundTask): number | undefined;
