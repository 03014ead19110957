// Background agents' own lifecycle (SubagentStart / SubagentStop): a result recorded as it stops, and
// the work an agent started ending with it.
import type { EnqueueOutcome, RecordCompletion } from "../core/batching.js";
import { clip } from "../core/guards.js";
import { ENDED_WITHOUT_NOTICE, isActive, resumeTask } from "../core/lifecycle.js";
import { taskKey } from "../core/state.js";
import type { BackgroundTask, BgState } from "../core/types.js";

export interface SubagentInfo {
  agentId: string;
  agentType?: string;
}

/** SubagentStart: a new agent, or a finished one that was resumed (its next completion is a new one). */
export function recordSubagentStart(
  state: BgState,
  parentSessionId: string,
  info: SubagentInfo,
  now: number,
): void {
  const key = taskKey(parentSessionId, info.agentId);
  const existing = state.tasks[key];
  if (existing) {
    if (!isActive(existing)) state.tasks[key] = resumeTask(existing, now);
    return;
  }
  state.tasks[key] = {
    id: info.agentId,
    parentSessionId,
    kind: "agent",
    description: info.agentType ? `${info.agentType} agent` : info.agentId,
    status: "running",
    startedAt: now,
    lastProgressAt: now,
    // Foreground agents start the same way; only a launch or `background_tasks` proves otherwise.
    background: false,
    ...(info.agentType ? { agentType: info.agentType } : {}),
  };
}

export interface SubagentStopInfo extends SubagentInfo {
  lastMessage?: string;
  listedInBackground: boolean;
  /** Ids Claude Code still lists as in flight at this stop. */
  listedIds: readonly string[];
}

export type SubagentStopOutcome = EnqueueOutcome | { kind: "foreground" } | { kind: "waiting"; on: string[] };

/** SubagentStop: a background agent's result is recorded now; its notice, when it comes, is a repeat. */
export function recordSubagentStop(
  state: BgState,
  parentSessionId: string,
  info: SubagentStopInfo,
  now: number,
  record: RecordCompletion,
): SubagentStopOutcome {
  const key = taskKey(parentSessionId, info.agentId);
  const known = state.tasks[key];
  const background = info.listedInBackground || known?.background === true;
  if (!background) {
    if (known && known.background === false) delete state.tasks[key];
    return { kind: "foreground" };
  }
  const base: BackgroundTask = known ?? {
    id: info.agentId,
    parentSessionId,
    kind: "agent",
    description: info.agentType ? `${info.agentType} agent` : info.agentId,
    status: "running",
  };
  if (!isActive(base)) return { kind: "duplicate", key, delivered: true };
  // An agent that stops with its own background work still running is waiting, not finished: Claude
  // Code resumes it when that work ends, and its last message now is an interim report.
  const listed = new Set(info.listedIds);
  const own = Object.values(state.tasks)
    .filter((t) => t.ownerAgentId === info.agentId && isActive(t) && listed.has(t.id))
    .map((t) => t.id);
  if (own.length > 0) return { kind: "waiting", on: own };
  endAgentOwnWork(state, parentSessionId, info.agentId, now);
  const task: BackgroundTask = {
    ...base,
    status: "completed",
    originalStatus: "completed",
    completedAt: now,
    background: true,
  };
  if (info.agentType && !task.agentType) task.agentType = info.agentType;
  const result = clip(info.lastMessage ?? undefined);
  if (result !== undefined) task.result = result;
  return record(task);
}

/**
 * A subagent's own background work ends with the subagent (Claude Code resumes an agent until its own
 * work is done, and a killed one takes it along). Its outcomes went to the agent, never to the parent,
 * so nothing is told; it only stops counting as running. Returns the ids ended.
 */
export function endAgentOwnWork(
  state: BgState,
  parentSessionId: string,
  agentId: string,
  now: number,
): string[] {
  const ended: string[] = [];
  for (const [key, task] of Object.entries(state.tasks)) {
    if (task.parentSessionId !== parentSessionId || task.ownerAgentId !== agentId || !isActive(task))
      continue;
    state.tasks[key] = {
      ...task,
      status: "cancelled",
      originalStatus: ENDED_WITHOUT_NOTICE,
      completedAt: now,
      summary: `ended with agent ${agentId}, which was told its outcome`,
    };
    ended.push(task.id);
  }
  return ended;
}
