import { readFileSync } from "node:fs";
import { join } from "node:path";
import { matcherAccepts } from "../claude/matcher.js";
import { bundleOfLauncherArgs } from "../plugin/hook-table.js";

export interface HookCommand {
  event: string;
  matcher?: string;
  command: string;
  args: string[];
  /** Claude Code does not wait for it (`async`, or `asyncRewake`). */
  async: boolean;
  /** `asyncRewake`: a window timer, which may wake the parent. */
  rewake: boolean;
  timeoutSec: number;
  /** The script's file name, for reports. */
  name: string;
  /** The bundle the command runs (itself, or through the launcher); undefined when it names none. */
  bundle?: string;
}

interface HooksFile {
  hooks?: Record<
    string,
    {
      matcher?: string;
      hooks?: {
        type?: string;
        command?: string;
        args?: string[];
        asyncRewake?: boolean;
        async?: boolean;
        timeout?: number;
      }[];
    }[]
  >;
}

const PLUGIN_ROOT_VARIABLE = ["$", "{CLAUDE_PLUGIN_ROOT}"].join("");

export function loadHookCommands(pluginRoot: string): HookCommand[] {
  const file = JSON.parse(readFileSync(join(pluginRoot, "hooks", "hooks.json"), "utf8")) as HooksFile;
  const commands: HookCommand[] = [];
  for (const [event, groups] of Object.entries(file.hooks ?? {})) {
    for (const group of groups) {
      for (const hook of group.hooks ?? []) {
        if (hook.type !== "command" || !hook.command) continue;
        const args = (hook.args ?? []).map((a) => a.replaceAll(PLUGIN_ROOT_VARIABLE, pluginRoot));
        const bundle = bundleOfLauncherArgs(args) ?? args.find((a) => /\.(?:m?js|ts)$/.test(a));
        const script = bundle ?? hook.command;
        commands.push({
          event,
          ...(group.matcher !== undefined ? { matcher: group.matcher } : {}),
          command: hook.command,
          args,
          async: hook.asyncRewake === true || hook.async === true,
          rewake: hook.asyncRewake === true,
          timeoutSec: hook.timeout ?? 600,
          name: script.split("/").pop() ?? script,
          ...(bundle !== undefined ? { bundle } : {}),
        });
      }
    }
  }
  return commands;
}

/** Whether Claude Code runs this hooks.json command for this input. */
export function commandRunsFor(command: HookCommand, input: Readonly<Record<string, unknown>>): boolean {
  return matcherAccepts(command.event, command.matcher, input);
}
