// The task state machine: pending → running → completed | error | cancelled, as pure functions.
import { BgNotifyError } from "./errors.js";
import type { BackgroundTask, TaskStatus, TerminalStatus } from "./types.js";

const ALLOWED: Record<TaskStatus, readonly TaskStatus[]> = {
  // A task we never saw launch may be first heard of at its end, so pending may finish directly.
  pending: ["running", "completed", "error", "cancelled"],
  running: ["completed", "error", "cancelled"],
  completed: [],
  error: [],
  cancelled: [],
};

/**
 * `originalStatus` of a task that ended where no notice told how (a subagent's own work, ended with its
 * agent): bg-notify knows it no longer runs, not how it went.
 */
export const ENDED_WITHOUT_NOTICE = "ended";

/** How bg-notify names a task it knows ended without knowing how, in a summary and in `status`. */
export const ENDED_UNKNOWN_WHY = "outcome unknown to bg-notify";
export const ENDED_UNKNOWN_TEXT = `ended (${ENDED_UNKNOWN_WHY})`;

/**
 * A task Claude Code no longer runs whose outcome no notice told bg-notify: gone from Claude Code's
 * `background_tasks` with no notice yet, or ended without one.
 */
export function endedWithoutOutcome(task: BackgroundTask): boolean {
  return (isActive(task) && task.vanishedAt !== undefined) || task.originalStatus === ENDED_WITHOUT_NOTICE;
}

export function isTerminal(status: TaskStatus): status is TerminalStatus {
  return status === "completed" || status === "error" || status === "cancelled";
}

export function isActive(task: BackgroundTask): boolean {
  return task.status === "pending" || task.status === "running";
}

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function transitionTask(
  task: BackgroundTask,
  to: TaskStatus,
  now: number,
  patch: Partial<BackgroundTask> = {},
): BackgroundTask {
  if (!canTransition(task.status, to)) {
    throw new BgNotifyError("ETRANSITION", `task ${task.id} cannot go from ${task.status} to ${to}`);
  }
  const next: BackgroundTask = { ...task, ...patch, status: to };
  if (to === "running") {
    next.startedAt ??= now;
    next.lastProgressAt = now;
  }
  if (isTerminal(to)) next.completedAt = patch.completedAt ?? now;
  return next;
}

/** A finished agent that Claude Code resumed: its next completion must count as a new one. */
export function resumeTask(task: BackgroundTask, now: number): BackgroundTask {
  if (!isTerminal(task.status)) return task;
  const {
    completedAt: _c,
    result: _r,
    error: _e,
    exitCode: _x,
    originalStatus: _o,
    summary: _s,
    usage: _u,
    ...rest
  } = task;
  return {
    ...rest,
    status: "running",
    startedAt: now,
    lastProgressAt: now,
    generation: (task.generation ?? 0) + 1,
  };
}

/** Claude Code's notice words mapped to our statuses; the original word is kept on the task. */
export function statusFromClaude(word: string): TerminalStatus {
  switch (word.trim().toLowerCase()) {
    case "completed":
    case "complete":
    case "success":
      return "completed";
    case "killed":
    case "cancelled":
    case "canceled":
    case "stopped":
      return "cancelled";
    default:
      return "error";
  }
}

export function isStale(task: BackgroundTask, now: number, staleTimeoutMs: number): boolean {
  if (task.status !== "running" || staleTimeoutMs <= 0) return false;
  const last = task.lastProgressAt ?? task.startedAt ?? task.queuedAt;
  return last !== undefined && now - last > staleTimeoutMs;
}

export function durationMs(task: BackgroundTask): number | undefined {
  if (task.usage?.durationMs !== undefined) return task.usage.durationMs;
  if (task.startedAt !== undefined && task.completedAt !== undefined)
    return task.completedAt - task.startedAt;
  return undefined;
}
