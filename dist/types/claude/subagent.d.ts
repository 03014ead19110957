import { type HookInput } from "./hook-input.js";
import type { SubagentInfo, SubagentStopInfo } from "./track-agents.js";
export declare function subagentStartFrom(input: HookInput): SubagentInfo | undefined;
/** Claude Code sends some SubagentStop inputs that belong to no agent: no type and no transcript. */
export declare function isSpuriousStop(input: HookInput): boolean;
export declare function subagentStopFrom(input: HookInput): SubagentStopInfo | undefined;
