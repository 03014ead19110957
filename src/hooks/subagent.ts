// SubagentStart / SubagentStop: the lifecycle of agents. A background agent's last message is recorded
// as its result at its stop; the notice that follows is then a repeat and collapses into it.
import { existsSync } from "node:fs";
import type { HookContext, HookResult } from "../hook-context.js";
import { type HookInput, safeReadablePath } from "../hook-input.js";
import { recordSubagentStart, recordSubagentStop } from "../task-tracking.js";

export async function handleSubagentStart(input: HookInput, ctx: HookContext): Promise<HookResult> {
  if (!input.agent_id) return {};
  const info = { agentId: input.agent_id, ...(input.agent_type ? { agentType: input.agent_type } : {}) };
  await ctx.store.transact((state) => recordSubagentStart(state, input.session_id, info, ctx.now()));
  return {};
}

/** Claude Code sends some SubagentStop inputs that belong to no agent: no type and no transcript. */
export function isSpuriousStop(input: HookInput): boolean {
  if (input.agent_type !== "") return false;
  const path = safeReadablePath(input.agent_transcript_path);
  return path === undefined || !existsSync(path);
}

export async function handleSubagentStop(input: HookInput, ctx: HookContext): Promise<HookResult> {
  if (!input.agent_id || isSpuriousStop(input)) return {};
  const agentId = input.agent_id;
  const listedInBackground = (input.background_tasks ?? []).some((t) => t.id === agentId);
  const info = {
    agentId,
    listedInBackground,
    ...(input.agent_type ? { agentType: input.agent_type } : {}),
    ...(typeof input.last_assistant_message === "string"
      ? { lastMessage: input.last_assistant_message }
      : {}),
  };
  await ctx.store.transact((state) =>
    recordSubagentStop(state, input.session_id, info, ctx.now(), ctx.limits),
  );
  // Output here would reach the subagent, never the parent: delivery is left to the parent's hooks.
  return {};
}
