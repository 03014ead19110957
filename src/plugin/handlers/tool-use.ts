// PreToolUse (Agent): per-tier concurrency limits for background agents.
// PostToolUse (Bash|Agent): register background launches as running, and hand a due batch to the
// parent mid-turn as context (it is awake anyway: no extra wake-up).

import type { HookInput } from "../../claude/hook-input.js";
import { denyToolOutput } from "../../claude/hook-output.js";
import { isBackgroundAgentCall, launchFrom, requestedModel, stoppedTaskFrom } from "../../claude/launch.js";
import {
  lastAgentModel,
  noteRunningTurn,
  recordModelStop,
  registerLaunch,
} from "../../claude/task-tracking.js";
import { ConcurrencyManager } from "../../library/concurrency-manager.js";
import type { HookContext, HookResult } from "../context.js";
import { deliveriesOutput, deliverOwed } from "../delivery.js";

export async function handlePostToolUse(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const stopped = stoppedTaskFrom(input);
  if (stopped) {
    const parent = input.session_id;
    await ctx.store.transact((state) => recordModelStop(state, parent, stopped, ctx.now()));
  }
  const launch = launchFrom(input);
  if (launch) {
    const concurrency = new ConcurrencyManager(ctx.config);
    launch.concurrencyKey = launch.kind === "agent" ? concurrency.keyFor(launch.model) : "shell";
    await ctx.store.transact((state) => {
      registerLaunch(state, input.session_id, launch, ctx.now());
      noteRunningTurn(state, input.session_id, input.prompt_id, ctx.now());
    });
  }
  const deliveries = await deliverOwed(ctx, input.session_id, { force: false, via: "tool-result-context" });
  return deliveriesOutput("PostToolUse", deliveries);
}

export async function handlePreToolUse(input: HookInput, ctx: HookContext): Promise<HookResult> {
  if (!isBackgroundAgentCall(input)) return {};
  const concurrency = new ConcurrencyManager(ctx.config);
  const state = await ctx.store.read();
  const model = requestedModel(input) ?? lastAgentModel(state, input.session_id);
  const key = concurrency.keyFor(model);
  const agents = Object.values(state.tasks).filter(
    (t) => t.parentSessionId === input.session_id && t.kind === "agent" && t.background === true,
  );
  const decision = concurrency.evaluate(agents, key);
  if (decision.allowed) return {};
  return denyToolOutput(
    `bg-notify: ${decision.reason}. Wait for one to finish (its completion will be delivered to you), ` +
      `or raise modelConcurrency.${key} in .claude/bg-notify.json (0 = unlimited).`,
  );
}
