// SubagentStart / SubagentStop: the lifecycle of agents. A background agent's last message is recorded
// as its result at its stop; the notice that follows is then a repeat and collapses into it.
import type { HookInput } from "../../claude/hook-input.js";
import { subagentStartFrom, subagentStopFrom } from "../../claude/subagent.js";
import { recordSubagentStart, recordSubagentStop } from "../../claude/track-agents.js";
import type { HookContext, HookResult } from "../context.js";

export async function handleSubagentStart(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const info = subagentStartFrom(input);
  if (!info) return {};
  await ctx.store.transact((state) => recordSubagentStart(state, input.session_id, info, ctx.now()));
  return {};
}

export async function handleSubagentStop(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const info = subagentStopFrom(input);
  if (!info) return {};
  await ctx.notifications.transact((state, record) =>
    recordSubagentStop(state, input.session_id, info, ctx.now(), record),
  );
  // Output here would reach the subagent, never the parent: delivery is left to the parent's hooks.
  return {};
}
