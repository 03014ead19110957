// Reads `<project>/.claude/bg-notify.json` for the pure resolver in core/config: never through a link, and
// never more than a config file can hold.
import { join } from "node:path";
import { CONFIG_FILE_NAME, type ConfigResult, resolveConfig } from "../core/config.js";
import { isBgNotifyError } from "../core/errors.js";
import { fsReason } from "./files.js";
import { projectDir, type StateDirOptions } from "./paths.js";
import { readOwnFile } from "./safe-fs.js";

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
      ? `is not a file bg-notify reads (${error.message.replace(/^.* is (.*?), which .*$/, "$1")})`
      : `cannot be read (${fsReason(error)})`;
  }
  return resolveConfig(problem === undefined ? text : { unreadable: problem }, env, path);
}
