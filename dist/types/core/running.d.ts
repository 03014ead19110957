import type { BackgroundTask, BgState } from "./types.js";
/**
 * Tasks of this parent still pending or running: `allComplete` holds only when there are none. Not a
 * subagent's own work, and not a task Claude Code no longer lists as in flight (`vanishedAt`): its list
 * is the truth, even while the grace period keeps us from concluding how the task ended.
 */
export declare function activeTasksOf(state: BgState, parentSessionId: string): BackgroundTask[];
/**
 * Tasks of this parent Claude Code no longer lists as in flight and no notice has told the end of yet:
 * not running, outcome unknown to bg-notify (a summary says so rather than counting them either way).
 */
export declare function vanishedTasksOf(state: BgState, parentSessionId: string): BackgroundTask[];
/**
 * The tasks that break "every task counted running is listed as running by the last `background_tasks`
 * bg-notify reconciled, or was launched after it": none, in every state bg-notify commits (the tests
 * check it after every transaction).
 */
export declare function runningButUnlisted(state: BgState): BackgroundTask[];
