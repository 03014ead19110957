// PreToolUse (Agent): per-tier concurrency limits for background agents.
// PostToolUse (Bash|Agent): register background launches as running, and hand a due batch to the
// parent mid-turn as context (it is awake anyway: no extra wake-up).
import { ConcurrencyManager } from "../concurrency-manager.js";
import type { HookContext, HookResult } from "../hook-context.js";
import type { HookInput } from "../hook-input.js";
import { stringField } from "../hook-input.js";
import { type LaunchInfo, lastAgentModel, noteRunningTurn, registerLaunch } from "../task-tracking.js";
import { contextOutput, deliverOwed, joinDeliveries } from "./delivery.js";

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The background task a tool call launched, if it launched one. */
export function launchFrom(input: HookInput): LaunchInfo | undefined {
  const toolInput = record(input.tool_input);
  const response = record(input.tool_response);
  const toolUseId = stringField(input.tool_use_id, 200);
  if (input.tool_name === "Bash") {
    const id = response["backgroundTaskId"];
    if (typeof id !== "string" || !ID.test(id)) return undefined;
    const launch: LaunchInfo = { id, kind: "shell" };
    const description = stringField(toolInput["description"], 500);
    const command = stringField(toolInput["command"], 2000);
    if (description) launch.description = description;
    if (command) launch.command = command;
    if (toolUseId) launch.toolUseId = toolUseId;
    return launch;
  }
  if (input.tool_name === "Agent" || input.tool_name === "Task") {
    const id = response["agentId"];
    if (response["status"] !== "async_launched" || typeof id !== "string" || !ID.test(id)) return undefined;
    const launch: LaunchInfo = { id, kind: "agent" };
    const description = stringField(response["description"] ?? toolInput["description"], 500);
    const agentType = stringField(toolInput["subagent_type"], 200);
    const model = stringField(response["resolvedModel"] ?? toolInput["model"], 200);
    const outputFile = stringField(response["outputFile"], 4096);
    if (description) launch.description = description;
    if (agentType) launch.agentType = agentType;
    if (model) launch.model = model;
    if (outputFile?.startsWith("/")) launch.outputFile = outputFile;
    if (toolUseId) launch.toolUseId = toolUseId;
    return launch;
  }
  return undefined;
}

export async function handlePostToolUse(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const launch = launchFrom(input);
  if (launch) {
    const concurrency = new ConcurrencyManager(ctx.config);
    launch.concurrencyKey = launch.kind === "agent" ? concurrency.keyFor(launch.model) : "shell";
    await ctx.store.transact((state) => {
      registerLaunch(state, input.session_id, launch, ctx.now());
      noteRunningTurn(state, input.session_id, input.prompt_id, ctx.now());
    });
  }
  if (ctx.config.mode === "off") return {};
  const deliveries = await deliverOwed(ctx, input.session_id, { force: false, via: "tool-result-context" });
  return deliveries.length > 0 ? contextOutput("PostToolUse", joinDeliveries(deliveries)) : {};
}

export async function handlePreToolUse(input: HookInput, ctx: HookContext): Promise<HookResult> {
  if (input.tool_name !== "Agent" && input.tool_name !== "Task") return {};
  const toolInput = record(input.tool_input);
  // Agents launched from the Agent tool run in the background unless told otherwise.
  if (toolInput["run_in_background"] === false) return {};
  const concurrency = new ConcurrencyManager(ctx.config);
  const state = await ctx.store.read();
  const model = stringField(toolInput["model"], 200) ?? lastAgentModel(state, input.session_id);
  const key = concurrency.keyFor(model);
  const agents = Object.values(state.tasks).filter(
    (t) => t.parentSessionId === input.session_id && t.kind === "agent" && t.background === true,
  );
  const decision = concurrency.evaluate(agents, key);
  if (decision.allowed) return {};
  return {
    stdout: {
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "deny",
        permissionDecisionReason:
          `bg-notify: ${decision.reason}. Wait for one to finish (its completion will be delivered to you), ` +
          `or raise modelConcurrency.${key} in .claude/bg-notify.json (0 = unlimited).`,
      },
    },
  };
}
