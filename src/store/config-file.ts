// Reads `<project>/.claude/bg-notify.json` for the pure resolver in core/config: never through a link, and
// never more than a config file can hold.
import { randomBytes } from "node:crypto";
import { renameSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_FILE_NAME, type ConfigResult, resolveConfig } from "../core/config.js";
import { BgNotifyError, isBgNotifyError } from "../core/errors.js";
import { isPlainObject } from "../core/guards.js";
import type { Mode } from "../core/types.js";
import { fsReason, removeQuietly } from "./files.js";
import { projectDir, type StateDirOptions } from "./paths.js";
import { createOwnFile, ensureDirectory, foundAt, readOwnFile } from "./safe-fs.js";

const CONFIG_MAX_BYTES = 256 * 1024;

export function loadConfig(options: StateDirOptions = {}): ConfigResult {
  const env = options.env ?? process.env;
  const path = join(projectDir(options), ".claude", CONFIG_FILE_NAME);
  let text: string | undefined;
  let problem: string | undefined;
  try {
    const read = readOwnFile(path, CONFIG_MAX_BYTES);
    if (read?.truncated) problem = `is larger than ${CONFIG_MAX_BYTES / 1024} KB`;
    else text = read?.text;
  } catch (error) {
    problem = isBgNotifyError(error, "EUNSAFE")
      ? `is not a file bg-notify reads (${foundAt(error)})`
      : `cannot be read (${fsReason(error)})`;
  }
  return resolveConfig(problem === undefined ? text : { unreadable: problem }, env, path);
}

/**
 * Sets `mode` in the project's config file, keeping its other keys: into a real `.claude` of the user's,
 * never through a link (the store's rule). A file that does not parse is left alone. Returns its path.
 */
export function writeConfigMode(options: StateDirOptions, mode: Mode): string {
  const dir = join(projectDir(options), ".claude");
  const path = join(dir, CONFIG_FILE_NAME);
  ensureDirectory(dir, 0o755);
  const read = readOwnFile(path, CONFIG_MAX_BYTES);
  let current: Record<string, unknown> = {};
  if (read) {
    let parsed: unknown;
    try {
      parsed = read.text.trim() === "" ? {} : JSON.parse(read.text.replace(/^\uFEFF/, ""));
    } catch {
      parsed = undefined;
    }
    if (read.truncated || !isPlainObject(parsed))
      throw new BgNotifyError("EINPUT", `${path} is not a JSON object; fix it first, nothing was changed`);
    current = parsed;
  }
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    createOwnFile(tmp, `${JSON.stringify({ ...current, mode }, null, 2)}\n`, 0o644);
    renameSync(tmp, path);
  } catch (error) {
    removeQuietly(tmp);
    throw new BgNotifyError("ESTATE", `cannot write ${path}: ${fsReason(error)}`, { cause: error });
  }
  return path;
}
