// Where bg-notify keeps its files for a project, and the names of those files.
import { type Dirent, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { BgNotifyError, isBgNotifyError } from "../core/errors.js";
import { fsReason } from "./files.js";
import { checkDirectory, createOwnFile, ensureDirectory, listDirectory, unsafe } from "./safe-fs.js";

/** The state directory's name inside the project's `.claude`. */
export const STATE_DIR_NAME = "bg-notify";
export const STATE_FILE = "state.json";
export const EVENTS_FILE = "events.jsonl";
/** Write-ahead record of completions recorded and batches claimed: what a damaged state.json is rebuilt from. */
export const JOURNAL_FILE = "journal.jsonl";
export const LOCK_DIR = "state.lock";
/** Where hooks/run queues background shells' launches (store/launch-inbox.ts). */
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
  return resolveStateLayout(options).dir;
}

/**
 * Where the state lives and which directories above it bg-notify made (and so checks): the project's
 * `.claude` and the state directory. A directory the user names (BG_NOTIFY_STATE_DIR, --state-dir) is
 * theirs and trusted as given; only what bg-notify makes inside it is checked.
 */
export interface StateLayout {
  dir: string;
  /** The project's `.claude`, when the state directory is the default one inside it. */
  parent?: string;
}

export function resolveStateLayout(options: StateDirOptions = {}): StateLayout {
  const env = options.env ?? process.env;
  const explicit = env["BG_NOTIFY_STATE_DIR"];
  if (explicit) return { dir: resolve(explicit) };
  const parent = join(projectDir(options), ".claude");
  return { dir: join(parent, STATE_DIR_NAME), parent };
}

/** Keeps the state directory out of git. */
export const GITIGNORE = "*\n";

/** Directories bg-notify makes inside the state directory. */
const SUBDIRS: ReadonlySet<string> = new Set([INBOX_DIR, FOLDED_DIR, LOCK_DIR]);

const verified = new Set<string>();
const ensured = new Set<string>();

/**
 * Checks the state directory and everything in it that bg-notify uses (once per process): every
 * directory real and the user's own, no link anywhere among its entries. Throws EUNSAFE; false when
 * the state directory does not exist yet.
 */
export function verifyStateDir(layout: StateLayout): boolean {
  if (verified.has(layout.dir)) return true;
  if (layout.parent !== undefined && !checkDirectory(layout.parent)) return false;
  if (layout.parent !== undefined ? !checkDirectory(layout.dir) : !isDirectory(layout.dir)) return false;
  for (const entry of listDirectory(layout.dir)) {
    const path = join(layout.dir, entry.name);
    if (SUBDIRS.has(entry.name)) {
      // The lock comes and goes with its holders: one released meanwhile is no problem.
      if (!checkDirectory(path)) continue;
      let inside: Dirent[];
      try {
        inside = listDirectory(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      // A lock is an empty directory: one with files in it (a repository's state.lock/.gitkeep) would
      // never be taken over, and holding nothing is better said now than after a wait.
      if (entry.name === LOCK_DIR && inside.length > 0)
        throw unsafe(path, "a directory with files in it, not a lock bg-notify made");
    } else if (!entry.isFile() && !entry.isDirectory()) {
      throw unsafe(path, "not a regular file");
    }
  }
  verified.add(layout.dir);
  return true;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Makes the state directory (one checked level at a time, never through a link), with its inbox. */
export function ensureStateDir(layout: StateLayout | string): void {
  const { dir, parent } = typeof layout === "string" ? { dir: layout, parent: undefined } : layout;
  // The usual case: made and checked earlier in this process, and still there (two lstats).
  if (ensured.has(dir) && checkDirectory(dir) && checkDirectory(join(dir, INBOX_DIR))) return;
  const checked: StateLayout = { dir, ...(parent !== undefined ? { parent } : {}) };
  try {
    // Checked as it is first; made (one checked level at a time) only where it is missing.
    if (!verifyStateDir(checked)) {
      if (parent !== undefined) {
        // The project's own directory (reached the way the user opened it) is trusted.
        ensureDirectory(parent, 0o755);
        ensureDirectory(dir);
      } else if (!isDirectory(dir)) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      }
      verifyStateDir(checked);
    }
    ensureDirectory(join(dir, INBOX_DIR));
    try {
      createOwnFile(join(dir, ".gitignore"), GITIGNORE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  } catch (error) {
    if (isBgNotifyError(error)) throw error;
    throw new BgNotifyError("ESTATE", `cannot create state directory ${dir}: ${fsReason(error)}`, {
      cause: error,
    });
  }
  ensured.add(dir);
}
