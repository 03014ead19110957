// What counts as running: a parent's own background tasks Claude Code still lists (or launched since its
// last listing), apart from those it stopped listing whose notice has not come (vanished).
import { isActive } from "./lifecycle.js";
import type { BackgroundTask, BgState } from "./types.js";

/**
 * Tasks of this parent still pending or running: `allComplete` holds only when there are none. Not a
 * subagent's own work, and not a task Claude Code no longer lists as in flight (`vanishedAt`): its list
 * is the truth, even while the grace period keeps us from concluding how the task ended.
 */
export function activeTasksOf(state: BgState, parentSessionId: string): BackgroundTask[] {
  return parentsActiveTasks(state, parentSessionId).filter((t) => t.vanishedAt === undefined);
}

/** The parent's own background tasks still pending or running in the state: not a subagent's. */
function parentsActiveTasks(state: BgState, parentSessionId: string): BackgroundTask[] {
  return Object.values(state.tasks).filter(
    (t) =>
      t.parentSessionId === parentSessionId &&
      isActive(t) &&
      t.background !== false &&
      t.ownerAgentId === undefined,
  );
}

/**
 * Tasks of this parent Claude Code no longer lists as in flight and no notice has told the end of yet:
 * not running, outcome unknown to bg-notify (a summary says so rather than counting them either way).
 */
export function vanishedTasksOf(state: BgState, parentSessionId: string): BackgroundTask[] {
  return parentsActiveTasks(state, parentSessionId).filter((t) => t.vanishedAt !== undefined);
}

/**
 * The tasks that break "every task counted running is listed as running by the last `background_tasks`
 * bg-notify reconciled, or was launched after it": none, in every state bg-notify commits (the tests
 * check it after every transaction).
 */
export function runningButUnlisted(state: BgState): BackgroundTask[] {
  const broken: BackgroundTask[] = [];
  for (const [parent, listing] of Object.entries(state.listed ?? {})) {
    const ids = new Set(listing.ids);
    for (const task of activeTasksOf(state, parent))
      if (!ids.has(task.id) && (task.startedAt ?? task.queuedAt ?? 0) <= listing.at) broken.push(task);
  }
  return broken;
}
