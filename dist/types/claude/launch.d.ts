import { type HookInput } from "./hook-input.js";
import type { LaunchInfo } from "./track-launches.js";
/** The background task a tool call launched, if it launched one; a subagent's launch names its owner. */
export declare function launchFrom(input: HookInput): LaunchInfo | undefined;
/** A `Bash` call's background shell, if it launched one (shells share one concurrency key). */
export declare function shellLaunchFrom(input: HookInput): LaunchInfo | undefined;
/** Claude Code's tools that stop a background task: `TaskStop` (2.1.332), `KillShell` (earlier releases). */
export declare const STOP_TOOLS: readonly ["TaskStop", "KillShell"];
/** The task a stop tool stopped, if the call succeeded. */
export declare function stoppedTaskFrom(input: HookInput): string | undefined;
/** Claude Code's tool for launching agents (`Agent`; `Task` in older releases). */
export declare function isAgentTool(name: string | undefined): boolean;
/** An Agent call that will run in the background (the default, unless `run_in_background: false`). */
export declare function isBackgroundAgentCall(input: HookInput): boolean;
export declare function requestedModel(input: HookInput): string | undefined;
/** The description an agent launch gives itself (for the slot it holds while it starts). */
export declare function launchDescription(input: HookInput): string | undefined;
/** The file a `Read` call read: a background task's output file, when the parent reads its result itself. */
export declare function readPathFrom(input: HookInput): string | undefined;
