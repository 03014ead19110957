import type { HookContext, HookResult } from "../hook-context.js";
import type { HookInput } from "../hook-input.js";
import { type LaunchInfo } from "../task-tracking.js";
/** The background task a tool call launched, if it launched one. */
export declare function launchFrom(input: HookInput): LaunchInfo | undefined;
export declare function handlePostToolUse(input: HookInput, ctx: HookContext): Promise<HookResult>;
export declare function handlePreToolUse(input: HookInput, ctx: HookContext): Promise<HookResult>;
