import type { BackgroundTask, BgState } from "../core/types.js";
export interface LaunchInfo {
    id: string;
    kind: "shell" | "agent";
    description?: string;
    command?: string;
    agentType?: string;
    model?: string;
    outputFile?: string;
    toolUseId?: string;
    concurrencyKey?: string;
    /** The subagent whose tool call launched it (the hook input's `agent_id`). */
    ownerAgentId?: string;
    /** The parent's turn that launched it (the hook input's `prompt_id`). */
    turnId?: string;
    /** How long the launching tool call took (the hook input's `duration_ms`). */
    toolMs?: number;
}
/**
 * A launch, whether its PostToolUse ran node or was queued by the launcher (src/store/launch-inbox.ts):
 * the task, running, and the parent's turn that launched it. `at` is when the launch reached the hook.
 */
export declare function recordLaunch(state: BgState, parentSessionId: string, launch: LaunchInfo, at: number): BackgroundTask;
/** A background task Claude Code just launched, now running. */
export declare function registerLaunch(state: BgState, parentSessionId: string, launch: LaunchInfo, now: number): BackgroundTask;
/** The tier of the parent's most recent agent, for a launch that names no model. */
export declare function lastAgentModel(state: BgState, parentSessionId: string): string | undefined;
