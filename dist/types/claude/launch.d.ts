import { type HookInput } from "./hook-input.js";
import type { LaunchInfo } from "./task-tracking.js";
/** The background task a tool call launched, if it launched one. */
export declare function launchFrom(input: HookInput): LaunchInfo | undefined;
/** Claude Code's tool for launching agents (`Agent`; `Task` in older releases). */
export declare function isAgentTool(name: string | undefined): boolean;
/** An Agent call that will run in the background (the default, unless `run_in_background: false`). */
export declare function isBackgroundAgentCall(input: HookInput): boolean;
export declare function requestedModel(input: HookInput): string | undefined;
