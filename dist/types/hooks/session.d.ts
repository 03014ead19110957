import type { HookContext, HookResult } from "../hook-context.js";
import type { HookInput } from "../hook-input.js";
export declare function handleStop(input: HookInput, ctx: HookContext): Promise<HookResult>;
export declare function handleSessionStart(input: HookInput, ctx: HookContext): Promise<HookResult>;
export declare function handleSessionEnd(input: HookInput, ctx: HookContext): Promise<HookResult>;
