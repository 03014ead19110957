// Reads `<project>/.claude/bg-notify.json` for the pure resolver in core/config.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_FILE_NAME, type ConfigResult, resolveConfig } from "../core/config.js";
import { fsReason } from "./files.js";
import { projectDir, type StateDirOptions } from "./paths.js";

export function loadConfig(options: StateDirOptions = {}): ConfigResult {
  const env = options.env ?? process.env;
  const path = join(projectDir(options), ".claude", CONFIG_FILE_NAME);
  let text: string | undefined;
  try {
    // Most projects have no config file: asked first, so that no hook pays for an exception (node's
    // first one in a process costs ~0.5 ms).
    if (statSync(path, { throwIfNoEntry: false }) !== undefined) text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      return {
        ...resolveConfig(undefined, env),
        warnings: [`bg-notify: cannot read ${path}: ${fsReason(error)}`],
      };
    }
  }
  return resolveConfig(text, env, path);
}
