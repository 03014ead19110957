import type { BackgroundTask, TaskStatus, TerminalStatus } from "./types.js";
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
