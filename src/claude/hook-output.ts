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

/** Stops a prompt from reaching the model (observed on notice prompts) and hides it from the user's view. */
export function blockPromptOutput(reason: string): HookResult {
  return {
    stdout: {
      decision: "block",
      reason,
      hookSpecificOutput: { hookEventName: "UserPromptSubmit", suppressOriginalPrompt: true },
    },
  };
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
