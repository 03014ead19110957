import type { HookContext, HookResult } from "../hook-context.js";
import type { HookInput } from "../hook-input.js";
export declare function handleUserPromptSubmit(input: HookInput, ctx: HookContext): Promise<HookResult>;
