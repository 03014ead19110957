// Where bg-notify keeps its files for a project, and the names of those files.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BgNotifyError } from "../core/errors.js";
import { fsReason } from "./files.js";

export const STATE_FILE = "state.json";
export const EVENTS_FILE = "events.jsonl";
/** Write-ahead record of completions recorded and batches claimed: what a damaged state.json is rebuilt from. */
export const JOURNAL_FILE = "journal.jsonl";
export const LOCK_DIR = "state.lock";
/** Where hooks/run queues background shells' launches (store/launch-inbox.ts; hooks/run knows it too). */
export const INBOX_DIR = "inbox";
/**
 * Inbox entries already folded into a committed state, moved out of the inbox (a rename: removing a file
 * whose blocks are allocated costs 0.1–0.3 ms on ext4, inside the lock) until a hook off the user's path
 * removes them.
 */
export const FOLDED_DIR = "folded";

export function stateFilePath(dir: string): string {
  return join(dir, STATE_FILE);
}

export interface StateDirOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function projectDir({ env = process.env, cwd = process.cwd() }: StateDirOptions = {}): string {
  return resolve(env["CLAUDE_PROJECT_DIR"] || cwd);
}

export function resolveStateDir(options: StateDirOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = env["BG_NOTIFY_STATE_DIR"];
  if (explicit) return resolve(explicit);
  return join(projectDir(options), ".claude", "bg-notify");
}

/** Keeps the state directory out of git (hooks/run writes the same when it makes the directory). */
export const GITIGNORE = "*\n";

export function ensureStateDir(dir: string): void {
  // The usual case, asked without an exception (the first in a process costs ~0.5 ms of every hook).
  if (existsSync(join(dir, ".gitignore")) && existsSync(join(dir, INBOX_DIR))) return;
  try {
    // With the inbox hooks/run queues launches in (it makes the same directory when it is missing).
    mkdirSync(join(dir, INBOX_DIR), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, ".gitignore"), GITIGNORE, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
    throw new BgNotifyError("ESTATE", `cannot create state directory ${dir}: ${fsReason(error)}`, {
      cause: error,
    });
  }
}
