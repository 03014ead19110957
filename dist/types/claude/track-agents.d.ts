import type { EnqueueOutcome, RecordCompletion } from "../core/batching.js";
import type { BgState } from "../core/types.js";
export interface SubagentInfo {
    agentId: string;
    agentType?: string;
}
/** SubagentStart: a new agent, or a finished one that was resumed (its next completion is a new one). */
export declare function recordSubagentStart(state: BgState, parentSessionId: string, info: SubagentInfo, now: number): void;
export interface SubagentStopInfo extends SubagentInfo {
    lastMessage?: string;
    listedInBackground: boolean;
    /** Ids Claude Code still lists as in flight at this stop. */
    listedIds: readonly string[];
}
export type SubagentStopOutcome = EnqueueOutcome | {
    kind: "foreground";
} | {
    kind: "waiting";
    on: string[];
};
/** SubagentStop: a background agent's result is recorded now; its notice, when it comes, is a repeat. */
export declare function recordSubagentStop(state: BgState, parentSessionId: string, info: SubagentStopInfo, now: number, record: RecordCompletion): SubagentStopOutcome;
/**
 * A subagent's own background work ends with the subagent (Claude Code resumes an agent until its own
 * work is done, and a killed one takes it along). Its outcomes went to the agent, never to the parent,
 * so nothing is told; it only stops counting as running. Returns the ids ended.
 */
export declare function endAgentOwnWork(state: BgState, parentSessionId: string, agentId: string, now: number): string[];
