// PreToolUse (Agent): per-tier concurrency limits for background agents, when asked for.
// PostToolUse (Agent, stops, Read): register background agents as running, and hand a due batch to the
// parent mid-turn as context. PostToolUse (Bash), async: register background shells as running.

import type { HookInput } from "../../claude/hook-input.js";
import { denyToolOutput } from "../../claude/hook-output.js";
import {
  isBackgroundAgentCall,
  launchDescription,
  launchFrom,
  readPathFrom,
  requestedModel,
  shellLaunchFrom,
  stoppedTaskFrom,
} from "../../claude/launch.js";
import { lastAgentModel, recordLaunch } from "../../claude/track-launches.js";
import { heldOutputRead, recordParentRead } from "../../claude/track-notices.js";
import { recordModelStop } from "../../claude/track-stops.js";
import {
  type Acquisition,
  decideSlot,
  isSlotHeld,
  releaseSlot,
  reserveSlot,
  tierUsage,
} from "../../core/concurrency.js";
import { isId } from "../../core/guards.js";
import type { BgState } from "../../core/types.js";
import { ConcurrencyManager } from "../../library/concurrency-manager.js";
import type { HookContext, HookResult } from "../context.js";
import { deliveriesOutput, deliverOwed } from "../delivery.js";

export async function handlePostToolUse(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const parent = input.session_id;
  const stopped = stoppedTaskFrom(input);
  if (stopped) await ctx.store.transact((state) => recordModelStop(state, parent, stopped, ctx.now()));
  const launch = launchFrom(input);
  const slot = slotOf(input);
  if (launch) {
    const concurrency = new ConcurrencyManager(ctx.config);
    launch.concurrencyKey = launch.kind === "agent" ? concurrency.keyFor(launch.model) : "shell";
    await ctx.store.transact((state) => {
      if (slot) releaseSlot(state, parent, slot);
      recordLaunch(state, parent, launch, ctx.receivedAt ?? ctx.now());
    });
  } else if (slot && isSlotHeld(await ctx.store.read(), parent, slot)) {
    // The call launched nothing (it failed): its slot is free again.
    await ctx.store.transact((state) => releaseSlot(state, parent, slot));
  }
  const read = readPathFrom(input);
  if (read && heldOutputRead(await ctx.store.read(), parent, read))
    await ctx.store.transact((state) => recordParentRead(state, parent, read, ctx.now()));
  const deliveries = await deliverOwed(ctx, parent, {
    force: false,
    via: "tool-result-context",
    transcriptPath: input.transcript_path,
  });
  return deliveriesOutput("PostToolUse", deliveries);
}

/**
 * PostToolUse (Bash), run without Claude Code waiting: a background shell's launch, registered as
 * running. hooks/run usually queues it instead; node runs this only for an input it had doubts about.
 */
export async function handleLaunch(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const launch = shellLaunchFrom(input);
  if (!launch) return {};
  const at = ctx.receivedAt ?? ctx.now();
  await ctx.store.transact((state) => recordLaunch(state, input.session_id, launch, at));
  return {};
}

/** The tool call that may hold a slot: an agent launch's `tool_use_id`. */
function slotOf(input: HookInput): string | undefined {
  if (input.tool_name !== "Agent" && input.tool_name !== "Task") return undefined;
  return isId(input.tool_use_id) ? input.tool_use_id : undefined;
}

/**
 * PreToolUse (Agent): the per-tier limits, only when asked for (`concurrency`: off by default). `enforce`
 * takes the slot in this hook's own transaction, so agents launched in one message cannot all pass.
 */
export async function handlePreToolUse(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const policy = ctx.config.concurrency;
  if (policy === "off" || !isBackgroundAgentCall(input)) return {};
  const parent = input.session_id;
  const concurrency = new ConcurrencyManager(ctx.config);
  const keyOf = (model: string | undefined) => concurrency.keyFor(model);
  const toolUseId = isId(input.tool_use_id) ? input.tool_use_id : undefined;
  const decide = (state: BgState): Acquisition & { key: string } => {
    const key = keyOf(requestedModel(input) ?? lastAgentModel(state, parent));
    if (policy === "enforce" && toolUseId) {
      const description = launchDescription(input);
      return reserveSlot(
        state,
        {
          parentSessionId: parent,
          toolUseId,
          key,
          limit: concurrency.limitFor(key),
          ...(description !== undefined ? { description } : {}),
        },
        ctx.now(),
        keyOf,
      );
    }
    return decideSlot(concurrency.limitFor(key), key, tierUsage(state, parent, key, keyOf));
  };
  const decision =
    policy === "enforce" && toolUseId ? await ctx.store.transact(decide) : decide(await ctx.store.read());
  if (decision.allowed) return {};
  if (policy === "warn")
    return {
      stdout: { systemMessage: `bg-notify: ${decision.reason} (concurrency "warn": started anyway)` },
    };
  return denyToolOutput(
    `bg-notify: ${decision.reason}. Wait for one to finish (its completion will be delivered to you), ` +
      `or raise modelConcurrency.${decision.key} in .claude/bg-notify.json (0 = unlimited).`,
  );
}
