import type { HookContext, HookResult } from "../hook-context.js";
import { type HookInput } from "../hook-input.js";
export declare function handleSubagentStart(input: HookInput, ctx: HookContext): Promise<HookResult>;
/** Claude Code sends some SubagentStop inputs that belong to no agent: no type and no transcript. */
export declare function isSpuriousStop(input: HookInput): boolean;
export declare function handleSubagentStop(input: HookInput, ctx: HookContext): Promise<HookResult>;
