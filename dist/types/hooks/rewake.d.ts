import type { HookContext, HookResult } from "../hook-context.js";
import type { HookInput } from "../hook-input.js";
/** Past this the sync hook's fallbacks (next prompt, tool result, Stop, session start) deliver instead. */
export declare const REWAKE_MAX_WAIT_MS = 90000;
export declare function handleRewake(input: HookInput, ctx: HookContext): Promise<HookResult>;
