// The UserPromptSubmit hooks a person's Claude Code settings and enabled plugins declare besides bg-notify's:
// every held notice and every wake-up reaches them as a prompt, so one that does not skip task
// notifications may add to or block what bg-notify tells. Pure: the caller reads the files.
import { isPlainObject } from "../core/guards.js";

export interface PromptHook {
  /** Where it is declared: a settings file's path, or `plugin name@marketplace`. */
  source: string;
  /** The command as declared, or the hook's type where it runs none (`prompt`, `agent`). */
  command: string;
  /**
   * Whether it looks like it skips task notifications: its command, or the script file it names, mentions
   * `task-notification`. A guess from its text, never from running it.
   */
  skipsNotices: boolean;
}

/** The text a notice-skipping hook has to look for. */
const NOTICE_TAG = "task-notification";

/** The UserPromptSubmit hooks of one settings object or plugin hooks.json (`{ hooks: { … } }`). */
export function promptHooksOf(
  json: unknown,
  source: string,
  readScript: (command: string) => string | undefined,
): PromptHook[] {
  const groups = isPlainObject(json) && isPlainObject(json["hooks"]) ? json["hooks"]["UserPromptSubmit"] : [];
  const found: PromptHook[] = [];
  for (const group of Array.isArray(groups) ? groups : []) {
    const hooks = isPlainObject(group) ? group["hooks"] : undefined;
    for (const hook of Array.isArray(hooks) ? hooks : []) {
      if (!isPlainObject(hook)) continue;
      const command =
        typeof hook["command"] === "string" ? hook["command"] : `(a ${String(hook["type"])} hook)`;
      const text = `${command}\n${readScript(command) ?? ""}`;
      found.push({ source, command, skipsNotices: text.includes(NOTICE_TAG) });
    }
  }
  return found;
}

/** The plugins these settings objects enable (`enabledPlugins: { "name@marketplace": true }`), later ones winning. */
export function enabledPlugins(settings: readonly unknown[]): string[] {
  const enabled = new Map<string, boolean>();
  for (const s of settings) {
    const listed = isPlainObject(s) ? s["enabledPlugins"] : undefined;
    if (!isPlainObject(listed)) continue;
    for (const [name, on] of Object.entries(listed)) if (typeof on === "boolean") enabled.set(name, on);
  }
  return [...enabled].filter(([, on]) => on).map(([name]) => name);
}

/** Where Claude Code installed each plugin (`plugins/installed_plugins.json`): name → install folders. */
export function installPaths(installed: unknown): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const plugins = isPlainObject(installed) ? installed["plugins"] : undefined;
  if (!isPlainObject(plugins)) return paths;
  for (const [name, entries] of Object.entries(plugins)) {
    const list = (Array.isArray(entries) ? entries : [entries])
      .map((e) => (isPlainObject(e) ? e["installPath"] : undefined))
      .filter((p): p is string => typeof p === "string");
    if (list.length > 0) paths.set(name, list);
  }
  return paths;
}
