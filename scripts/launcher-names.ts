// The names hooks/run shares with the store: scripts/build.mjs writes them into the launcher's generated
// block, and test/plugin/launcher.test.ts checks the block against them.
import { CONFIG_FILE_NAME } from "../src/core/config.js";
import { ID_MAX_CHARS } from "../src/core/guards.js";
import { INBOX_DIR, STATE_DIR_NAME, STATE_FILE } from "../src/store/paths.js";
import { QUIET_FLAGS } from "../src/store/quiet-flags.js";

/** Shell variable → value, in the order the block lists them. */
export const LAUNCHER_NAMES: Readonly<Record<string, string>> = {
  state_dir_name: STATE_DIR_NAME,
  state_file: STATE_FILE,
  owed_flag: QUIET_FLAGS.nothingOwed,
  running_flag: QUIET_FLAGS.nothingRunning,
  inbox_dir: INBOX_DIR,
  config_file: CONFIG_FILE_NAME,
  id_max: String(ID_MAX_CHARS),
};

export const BLOCK_BEGIN =
  "# BEGIN names shared with the store (written by scripts/build.mjs from scripts/launcher-names.ts)";
export const BLOCK_END = "# END names shared with the store";

/** The generated block as hooks/run carries it. */
export function launcherBlock(): string {
  const lines = Object.entries(LAUNCHER_NAMES).map(([name, value]) => {
    if (!/^[A-Za-z0-9._-]+$/.test(value)) throw new Error(`${name}: ${value} is not a plain shell word`);
    return `${name}=${value}`;
  });
  return [BLOCK_BEGIN, ...lines, BLOCK_END].join("\n");
}

/** hooks/run's text with its block rewritten (it must have one). */
export function withLauncherBlock(script: string): string {
  const begin = script.indexOf(BLOCK_BEGIN);
  const end = script.indexOf(BLOCK_END);
  if (begin < 0 || end < begin) throw new Error("hooks/run has no generated block");
  return script.slice(0, begin) + launcherBlock() + script.slice(end + BLOCK_END.length);
}
