export interface HookResult {
    stdout?: Record<string, unknown>;
    stderr?: string;
    exitCode?: 0 | 2;
}
export declare function contextOutput(event: string, text: string): HookResult;
/**
 * Holds a notice prompt back without erasing it (observed with 2.1.332): `continue: false` lets the
 * notice enter the conversation — the screen shows Claude Code's own line for it, the transcript keeps
 * it, and the next request carries it whole — but starts no turn for it. `stopReason` follows it, on the
 * screen ("Operation stopped by hook: …") and to the model.
 */
export declare function holdPromptOutput(reason: string): HookResult;
/** Whether a UserPromptSubmit output holds its prompt back (this plugin's form, or a block). */
export declare function holdsPrompt(out: Record<string, unknown>): boolean;
export declare function denyToolOutput(reason: string): HookResult;
