// "All background work done": one signal to the person once a session's last running task has ended and
// the session is idle, never one per task. Claimed under the lock with the completion that ends the
// work, so exactly one process signals it.
import { lastCompletionAt } from "./batching.js";
import { activeTasksOf } from "./running.js";
import { sessionTally } from "./savings.js";
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
export function claimAllDone(state: BgState, parentSessionId: string, now: number): AllDone | undefined {
  if (activeTasksOf(state, parentSessionId).length > 0) return undefined;
  const last = lastCompletionAt(state, parentSessionId);
  const since = state.tally?.[parentSessionId]?.allDoneAt ?? Number.NEGATIVE_INFINITY;
  if (last === undefined || last <= since) return undefined;
  const done: AllDone = { tasks: 0, failed: 0 };
  for (const task of Object.values(state.tasks)) {
    if (task.parentSessionId !== parentSessionId || task.ownerAgentId !== undefined) continue;
    if (task.background === false || task.completedAt === undefined || task.completedAt <= since) continue;
    done.tasks++;
    if (task.status === "error") done.failed++;
  }
  sessionTally(state, parentSessionId, now).allDoneAt = Math.max(now, last);
  return done;
}

/** The signal's words: "All background work done: 3 tasks finished, 1 failed." */
export function allDoneText(done: AllDone): string {
  const tasks = done.tasks === 1 ? "1 task" : `${done.tasks} tasks`;
  return `All background work done: ${tasks} finished${done.failed > 0 ? `, ${done.failed} failed` : ""}.`;
}
