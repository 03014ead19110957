// The one hook table: every hook the plugin declares — Claude Code event, matcher, bundle, handler,
// how long the handler may run (deadline) and how long Claude Code waits (timeout). hooks/hooks.json is
// generated from it (`npm run hooks:json`, checked equal by a test); entries and tests read it. Data
// only, so a hook bundle that imports its own row does not pull in every handler.

import { matcherAccepts } from "../claude/matcher.js";
import { AUTOMATED_REPORT } from "../core/summary.js";

export type HookName =
  | "user-prompt-submit"
  | "rewake"
  | "pre-tool-use"
  | "post-tool-use"
  | "launch"
  | "subagent-start"
  | "subagent-stop"
  | "stop"
  | "session-start"
  | "session-end";

export interface HookSpec {
  name: HookName;
  /** Claude Code's event, as in its `hook_event_name`. */
  event: string;
  matcher?: string;
  /** The handler's exported name in src/plugin/handlers/. */
  handler: string;
  /** The handler gives up (exit 0, event passes untouched) after this long. */
  deadlineMs: number;
  /** Claude Code's own timeout for the hook, in seconds: always longer than the deadline. */
  timeoutS: number;
  /** How often a held state lock is retried (default: waited for up to 6 s). */
  lockRetries?: number;
  asyncRewake?: { summary: string; message: string };
  /** Claude Code does not wait for it (`"async": true`): it may only record, never answer. */
  async?: boolean;
  /**
   * Off the user's path (nobody waits for it, or the session is over): it removes the files the store
   * no longer needs, which costs a hook on the path up to a few ms (store/launch-inbox.ts).
   */
  tidies?: boolean;
}

export const HOOK_TABLE: readonly HookSpec[] = [
  {
    name: "user-prompt-submit",
    event: "UserPromptSubmit",
    handler: "handleUserPromptSubmit",
    deadlineMs: 8000,
    timeoutS: 10,
  },
  {
    name: "rewake",
    event: "UserPromptSubmit",
    handler: "handleRewake",
    deadlineMs: 100_000,
    timeoutS: 110,
    tidies: true,
    asyncRewake: {
      summary: "Background tasks finished (bg-notify)",
      // The first line the model reads of a wake-up, in the user's place: whose words these are.
      message: `bg-notify: ${AUTOMATED_REPORT}:`,
    },
  },
  {
    name: "pre-tool-use",
    event: "PreToolUse",
    matcher: "Agent|Task",
    handler: "handlePreToolUse",
    deadlineMs: 4000,
    timeoutS: 5,
  },
  {
    name: "post-tool-use",
    event: "PostToolUse",
    matcher: "Agent|Task|TaskStop|KillShell|Read",
    handler: "handlePostToolUse",
    deadlineMs: 8000,
    timeoutS: 10,
  },
  // Every Bash call ends here, and many in one turn launch shells: Claude Code does not wait for it.
  // hooks/run queues a launch without node; nothing is delivered from it (async output is not seen).
  {
    name: "launch",
    event: "PostToolUse",
    matcher: "Bash",
    handler: "handleLaunch",
    deadlineMs: 8000,
    timeoutS: 10,
    async: true,
    tidies: true,
  },
  {
    name: "subagent-start",
    event: "SubagentStart",
    handler: "handleSubagentStart",
    deadlineMs: 8000,
    timeoutS: 10,
  },
  {
    name: "subagent-stop",
    event: "SubagentStop",
    handler: "handleSubagentStop",
    deadlineMs: 8000,
    timeoutS: 10,
  },
  { name: "stop", event: "Stop", handler: "handleStop", deadlineMs: 8000, timeoutS: 10 },
  {
    name: "session-start",
    event: "SessionStart",
    matcher: "startup|resume|compact|clear",
    handler: "handleSessionStart",
    deadlineMs: 8000,
    timeoutS: 10,
  },
  // All SessionEnd hooks share Claude Code's 1.5 s budget.
  {
    name: "session-end",
    event: "SessionEnd",
    handler: "handleSessionEnd",
    deadlineMs: 1000,
    timeoutS: 2,
    lockRetries: 8,
    tidies: true,
  },
];

/** The hooks of the table Claude Code runs for this input, in table order. */
export function hooksFor(input: Readonly<Record<string, unknown>>): HookSpec[] {
  return HOOK_TABLE.filter((spec) => matcherAccepts(spec.event, spec.matcher, input));
}

export function hookSpec(name: HookName): HookSpec {
  const spec = HOOK_TABLE.find((h) => h.name === name);
  if (!spec) throw new TypeError(`no hook named ${name}`);
  return spec;
}

/**
 * Every hook runs through the launcher, `sh hooks/run <name>`: it starts node (dist/hooks/<name>.js) only
 * when the input could matter, and finds a node the hooks' PATH may lack.
 */
export const LAUNCHER = "hooks/run";
/** The in-process hooks module (src/module/register.ts, built), relative to hooks.json. */
export const HOOKS_MODULE = "./register.js";

/** The bundle a launcher command runs: `<root>/dist/hooks/<name>.js`, from the hook's args. */
export function bundleOfLauncherArgs(args: readonly string[]): string | undefined {
  const [script, name] = args;
  if (!script?.endsWith(`/${LAUNCHER}`) || !name || !/^[a-z-]+$/.test(name)) return undefined;
  return `${script.slice(0, -LAUNCHER.length)}dist/hooks/${name}.js`;
}

/** hooks/hooks.json as Claude Code reads it: exec form, one group per event (and matcher). */
export function renderHooksJson(table: readonly HookSpec[] = HOOK_TABLE): string {
  const hooks: Record<string, { matcher?: string; hooks: Record<string, unknown>[] }[]> = {};
  for (const spec of table) {
    hooks[spec.event] ??= [];
    const groups = hooks[spec.event] ?? [];
    let group = groups.find((g) => g.matcher === spec.matcher);
    if (!group) {
      group = spec.matcher !== undefined ? { matcher: spec.matcher, hooks: [] } : { hooks: [] };
      groups.push(group);
    }
    group.hooks.push({
      type: "command",
      command: "sh",
      args: [`\${CLAUDE_PLUGIN_ROOT}/${LAUNCHER}`, spec.name],
      timeout: spec.timeoutS,
      ...(spec.async ? { async: true } : {}),
      ...(spec.asyncRewake
        ? {
            asyncRewake: true,
            rewakeSummary: spec.asyncRewake.summary,
            rewakeMessage: spec.asyncRewake.message,
          }
        : {}),
    });
  }
  const doc = {
    description: "bg-notify: batch background-task completions into one notification for the parent session",
    // Where Claude Code loads it, the module holds and tells the command hooks to stand down.
    modules: [HOOKS_MODULE],
    hooks,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
