// Where the plugin this CLI belongs to lives: the directory holding hooks/hooks.json, found from the CLI's
// own file (dist/cli.js → ..), so `replay` and `doctor` check the very hooks that ship beside it.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "./args.js";

export function findPluginRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "hooks", "hooks.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new CliError(`cannot find the plugin (hooks/hooks.json) above ${dirname(from)}`);
}

export function readJsonFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === "ENOENT" ? `${path} does not exist` : `cannot read ${path} (${code})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new CliError(`${path} is not a JSON object`);
  return value as Record<string, unknown>;
}

export function packageVersion(pluginRoot: string): string {
  try {
    const version = readJsonFile(join(pluginRoot, "package.json"))["version"];
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}
