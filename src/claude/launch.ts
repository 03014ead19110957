// Reads a background launch out of a PostToolUse input: `Bash` with `tool_response.backgroundTaskId`,
// `Agent`/`Task` with `tool_response.status: "async_launched"` and `agentId`.
import { asRecord, isId } from "../core/guards.js";
import { type HookInput, stringField } from "./hook-input.js";
import type { LaunchInfo } from "./track-launches.js";

/** The background task a tool call launched, if it launched one; a subagent's launch names its owner. */
export function launchFrom(input: HookInput): LaunchInfo | undefined {
  const launch = launchOf(input);
  if (launch && input.agent_id) launch.ownerAgentId = input.agent_id;
  if (launch && typeof input.prompt_id === "string") launch.turnId = input.prompt_id;
  // The task started when the tool call did: `duration_ms` before the call's result (and this hook).
  const toolMs = asRecord(input)["duration_ms"];
  if (launch && typeof toolMs === "number" && Number.isFinite(toolMs) && toolMs >= 0 && toolMs < 600_000)
    launch.toolMs = toolMs;
  return launch;
}

/** A `Bash` call's background shell, if it launched one (shells share one concurrency key). */
export function shellLaunchFrom(input: HookInput): LaunchInfo | undefined {
  const launch = input.tool_name === "Bash" ? launchFrom(input) : undefined;
  if (launch) launch.concurrencyKey = "shell";
  return launch;
}

/** Claude Code's tools that stop a background task: `TaskStop` (2.1.332), `KillShell` (earlier releases). */
export const STOP_TOOLS = ["TaskStop", "KillShell"] as const;

/** The task a stop tool stopped, if the call succeeded. */
export function stoppedTaskFrom(input: HookInput): string | undefined {
  if (!(STOP_TOOLS as readonly string[]).includes(input.tool_name ?? "")) return undefined;
  const response = asRecord(input.tool_response);
  const toolInput = asRecord(input.tool_input);
  const id = response["task_id"] ?? response["shell_id"] ?? toolInput["task_id"] ?? toolInput["shell_id"];
  if (!isId(id)) return undefined;
  const message = response["message"];
  if (typeof message === "string" && !/success/i.test(message)) return undefined;
  return id;
}

function launchOf(input: HookInput): LaunchInfo | undefined {
  const toolInput = asRecord(input.tool_input);
  const response = asRecord(input.tool_response);
  const toolUseId = stringField(input.tool_use_id, 200);
  if (input.tool_name === "Bash") {
    const id = response["backgroundTaskId"];
    if (!isId(id)) return undefined;
    const launch: LaunchInfo = { id, kind: "shell" };
    const description = stringField(toolInput["description"], 500);
    const command = stringField(toolInput["command"], 2000);
    if (description) launch.description = description;
    if (command) launch.command = command;
    if (toolUseId) launch.toolUseId = toolUseId;
    return launch;
  }
  if (isAgentTool(input.tool_name)) {
    const id = response["agentId"];
    if (response["status"] !== "async_launched" || !isId(id)) return undefined;
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

/** Claude Code's tool for launching agents (`Agent`; `Task` in older releases). */
export function isAgentTool(name: string | undefined): boolean {
  return name === "Agent" || name === "Task";
}

/** An Agent call that will run in the background (the default, unless `run_in_background: false`). */
export function isBackgroundAgentCall(input: HookInput): boolean {
  return isAgentTool(input.tool_name) && asRecord(input.tool_input)["run_in_background"] !== false;
}

export function requestedModel(input: HookInput): string | undefined {
  return stringField(asRecord(input.tool_input)["model"], 200);
}

/** The description an agent launch gives itself (for the slot it holds while it starts). */
export function launchDescription(input: HookInput): string | undefined {
  return stringField(asRecord(input.tool_input)["description"], 200);
}

/** The file a `Read` call read: a background task's output file, when the parent reads its result itself. */
export function readPathFrom(input: HookInput): string | undefined {
  if (input.tool_name !== "Read") return undefined;
  return stringField(asRecord(input.tool_input)["file_path"], 4096);
}
