// The JSON Claude Code reads from a hook's stdout, built in one place: context for the model, a blocked
// prompt, a denied tool call. (`additionalContext` must sit inside `hookSpecificOutput`.)

export interface HookResult {
  stdout?: Record<string, unknown>;
  stderr?: string;
  exitCode?: 0 | 2;
}

export function contextOutput(event: string, text: string): HookResult {
  return { stdout: { hookSpecificOutput: { hookEventName: event, additionalContext: text } } };
}

/**
 * Holds a notice prompt back without erasing it (observed with 2.1.332): `continue: false` lets the
 * notice enter the conversation — the screen shows Claude Code's own line for it, the transcript keeps
 * it, and the next request carries it whole — but starts no turn for it. `stopReason` follows it, on the
 * screen ("Operation stopped by hook: …") and to the model.
 */
export function holdPromptOutput(reason: string): HookResult {
  return { stdout: { continue: false, stopReason: reason } };
}

/** Whether a UserPromptSubmit output holds its prompt back (this plugin's form, or a block). */
export function holdsPrompt(out: Record<string, unknown>): boolean {
  return out["continue"] === false || out["decision"] === "block";
}

export function denyToolOutput(reason: string): HookResult {
  return {
    stdout: {
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "deny",
        permissionDecisionReason: reason,
      },
    },
  };
}
