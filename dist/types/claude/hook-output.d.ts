export interface HookResult {
    stdout?: Record<string, unknown>;
    stderr?: string;
    exitCode?: 0 | 2;
}
export declare function contextOutput(event: string, text: string): HookResult;
/** Stops a prompt from reaching the model (observed on notice prompts) and hides it from the user's view. */
export declare function blockPromptOutput(reason: string): HookResult;
export declare function denyToolOutput(reason: string): HookResult;
