// The hooks module's session records as the CLI reads them: Claude Code keeps a plugin's `$.store` in one
// JSON file of its own (<config dir>/plugins/store/<plugin>_<source>-<hash>.json); bg-notify only reads it.
import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { isRecordShape, SESSION_KEY_PREFIX, type SessionRecord } from "../core/session-record.js";
import { parseState } from "../core/state.js";
import type { BgState } from "../core/types.js";
import { readOwnFile } from "./safe-fs.js";

/** Claude Code refuses a plugin store over 4 MiB; a file larger than that is not one it wrote. */
const STORE_MAX_BYTES = 5 * 1024 * 1024;
const PLUGIN_NAME = "bg-notify";

export interface ModuleSession extends SessionRecord {
  sessionId: string;
  /** The store file it was read from. */
  file: string;
}

/** Claude Code's configuration directory, as it finds it. */
export function claudeConfigDir(env: NodeJS.ProcessEnv): string {
  return env["CLAUDE_CONFIG_DIR"] || join(env["HOME"] || homedir(), ".claude");
}

/**
 * The module layer's sessions of `project` (all projects when undefined), newest first. A store file that
 * cannot be read or parsed is named in `warnings` and skipped.
 */
export function readModuleSessions(
  env: NodeJS.ProcessEnv,
  project: string | undefined,
  warnings: string[] = [],
): ModuleSession[] {
  const dir = join(claudeConfigDir(env), "plugins", "store");
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(`${PLUGIN_NAME}_`) && n.endsWith(".json"));
  } catch {
    return [];
  }
  const out: ModuleSession[] = [];
  for (const name of names.sort()) {
    const file = join(dir, name);
    let values: unknown;
    try {
      const read = readOwnFile(file, STORE_MAX_BYTES);
      values = read && !read.truncated ? JSON.parse(read.text) : undefined;
    } catch {
      values = undefined;
    }
    if (typeof values !== "object" || values === null) {
      warnings.push(`bg-notify: ${file} could not be read as the hooks module's store; skipped`);
      continue;
    }
    for (const [key, value] of Object.entries(values)) {
      if (!key.startsWith(SESSION_KEY_PREFIX) || !isRecordShape(value)) continue;
      if (project !== undefined && value.project !== project) continue;
      const parsed = parseState(value.state);
      if (!parsed.ok) continue;
      out.push({ ...value, state: parsed.state, sessionId: key.slice(SESSION_KEY_PREFIX.length), file });
    }
  }
  return out.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** One state holding the file store's and the module sessions' tasks, batches, tallies and hosts, for a combined view. */
export function withModuleSessions(state: BgState, sessions: readonly ModuleSession[]): BgState {
  if (sessions.length === 0) return state;
  const merged: BgState = {
    ...state,
    tasks: { ...state.tasks },
    batches: [...state.batches],
    ledger: { ...state.ledger },
    tally: { ...state.tally },
    hosts: { ...state.hosts },
  };
  for (const s of sessions) {
    Object.assign(merged.tasks, s.state.tasks);
    merged.batches.push(...s.state.batches);
    Object.assign(merged.ledger, s.state.ledger);
    Object.assign(merged.tally as object, s.state.tally);
    Object.assign(merged.hosts as object, s.state.hosts);
  }
  return merged;
}
