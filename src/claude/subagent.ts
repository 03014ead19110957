// What SubagentStart / SubagentStop inputs tell about an agent, read in one place. Some SubagentStop
// inputs belong to no agent (no type, no transcript file): those are spurious and read as nothing.
import { existsSync } from "node:fs";
import { type HookInput, safeReadablePath } from "./hook-input.js";
import type { SubagentInfo, SubagentStopInfo } from "./track-agents.js";

export function subagentStartFrom(input: HookInput): SubagentInfo | undefined {
  if (!input.agent_id) return undefined;
  return { agentId: input.agent_id, ...(input.agent_type ? { agentType: input.agent_type } : {}) };
}

/** Claude Code sends some SubagentStop inputs that belong to no agent: no type and no transcript. */
export function isSpuriousStop(input: HookInput): boolean {
  if (input.agent_type !== "") return false;
  const path = safeReadablePath(input.agent_transcript_path);
  return path === undefined || !existsSync(path);
}

export function subagentStopFrom(input: HookInput): SubagentStopInfo | undefined {
  if (!input.agent_id || isSpuriousStop(input)) return undefined;
  const agentId = input.agent_id;
  return {
    agentId,
    // A background agent lists itself in `background_tasks`; a foreground one does not.
    listedInBackground: (input.background_tasks ?? []).some((t) => t.id === agentId),
    listedIds: (input.background_tasks ?? []).map((t) => t.id),
    ...(input.agent_type ? { agentType: input.agent_type } : {}),
    ...(typeof input.last_assistant_message === "string"
      ? { lastMessage: input.last_assistant_message }
      : {}),
  };
}
