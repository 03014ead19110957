// The only module that touches the file system and the lock. Every change to state.json goes through
// `withLockedState`: lock → read → update → atomic write (temp file, fsync, rename) → unlock.
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import lockfile from "proper-lockfile";
import { CONFIG_FILE_NAME, type ConfigResult, resolveConfig } from "./config.js";
import { BgNotifyError, describeError } from "./errors.js";
import { createEmptyState, parseState } from "./state.js";
import type { BgState } from "./types.js";

export const STATE_FILE = "state.json";
export const EVENTS_FILE = "events.jsonl";
export const LOCK_DIR = "state.lock";
const EVENTS_MAX_BYTES = 1024 * 1024;
const ORPHAN_TMP_AGE_MS = 10_000;

export interface EventRecord {
  id: string;
  time: string;
  type: string;
  payload: unknown;
  source: string;
}

/** One interface over the file store (hooks, CLI) and the memory store (long-lived processes). */
export interface StateStore {
  readonly kind: "file" | "memory";
  /** A lock-free snapshot: safe because writers replace the file atomically. */
  read(): Promise<BgState>;
  /** Runs `update` on a private copy of the current state under the lock and commits what it changed. */
  transact<T>(update: (state: BgState) => T): Promise<T>;
  appendEvent(record: EventRecord): void;
  /** Problems found and survived (a quarantined state file, an unreadable config), for the caller to surface. */
  readonly warnings: string[];
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

export function ensureStateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, ".gitignore"), "*\n", { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
    throw new BgNotifyError("ESTATE", `cannot create state directory ${dir}: ${describeError(error)}`, {
      cause: error,
    });
  }
}

export function loadConfig(options: StateDirOptions = {}): ConfigResult {
  const env = options.env ?? process.env;
  const path = join(projectDir(options), ".claude", CONFIG_FILE_NAME);
  let text: string | undefined;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      return {
        ...resolveConfig(undefined, env),
        warnings: [`bg-notify: cannot read ${path}: ${describeError(error)}`],
      };
    }
  }
  return resolveConfig(text, env, path);
}

interface ReadResult {
  state: BgState;
  /** Why the file on disk could not be used, when it could not. */
  damage?: string;
}

function readStateFile(dir: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: createEmptyState() };
    throw new BgNotifyError("ESTATE", `cannot read ${join(dir, STATE_FILE)}: ${describeError(error)}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: createEmptyState(), damage: text.length === 0 ? "empty file" : "unparsable JSON" };
  }
  const parsed = parseState(json);
  return parsed.ok ? { state: parsed.state } : { state: createEmptyState(), damage: parsed.reason };
}

function quarantine(dir: string, damage: string, now: number, warnings: string[]): void {
  const aside = join(dir, `state.corrupt-${now}-${process.pid}.json`);
  try {
    renameSync(join(dir, STATE_FILE), aside);
    warnings.push(`bg-notify: state.json was damaged (${damage}); moved it to ${aside} and started afresh`);
  } catch (error) {
    warnings.push(
      `bg-notify: state.json was damaged (${damage}) and could not be moved aside: ${describeError(error)}`,
    );
  }
}

function writeAtomically(dir: string, name: string, text: string): void {
  const tmp = join(dir, `${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, join(dir, name));
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {}
    throw error;
  }
}

/** Temp files left by a writer killed between open and rename. Only called while holding the lock. */
function removeOrphanedTempFiles(dir: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".tmp")) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs > ORPHAN_TMP_AGE_MS) unlinkSync(join(dir, name));
    } catch {}
  }
}

export interface LockOptions {
  /** proper-lockfile's minimum: a killed holder is taken over this long after its last heartbeat. */
  staleMs?: number;
  /** How many times to retry a held lock; 0 fails at once (SessionEnd's 1.5 s budget). */
  retries?: number;
}

interface LockIdentity {
  ino: number;
  birthtimeMs: number;
}

function lockIdentity(path: string): LockIdentity | undefined {
  try {
    const s = statSync(path);
    return { ino: s.ino, birthtimeMs: s.birthtimeMs };
  } catch {
    return undefined;
  }
}

async function acquireLock(
  dir: string,
  options: LockOptions,
): Promise<{ release: () => Promise<void>; stillOurs: () => boolean }> {
  const lockPath = join(dir, LOCK_DIR);
  let compromised = false;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(join(dir, STATE_FILE), {
      realpath: false,
      lockfilePath: lockPath,
      stale: options.staleMs ?? 2000,
      update: 1000,
      retries:
        options.retries === 0
          ? 0
          : { retries: options.retries ?? 45, factor: 1.3, minTimeout: 10, maxTimeout: 150, randomize: true },
      onCompromised: () => {
        compromised = true;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new BgNotifyError("ELOCKED", `state lock ${lockPath} is held by another process`, {
        cause: error,
      });
    }
    throw new BgNotifyError("ESTATE", `cannot lock ${lockPath}: ${describeError(error)}`, { cause: error });
  }
  const identity = lockIdentity(lockPath);
  // A holder that stalled past the stale time may have been taken over; it must not write then.
  const stillOurs = () => {
    if (compromised || !identity) return false;
    const now = lockIdentity(lockPath);
    return now !== undefined && now.ino === identity.ino && now.birthtimeMs === identity.birthtimeMs;
  };
  return {
    stillOurs,
    release: async () => {
      if (!stillOurs()) return; // releasing would delete the new holder's lock
      await release().catch(() => {});
    },
  };
}

export interface TransactionOptions extends LockOptions {
  now?: () => number;
  warnings?: string[];
  /** Called after the new state is committed and before the lock is released. */
  afterCommit?: () => void;
}

/**
 * The one transaction primitive. `update` mutates a private copy of the state and returns a result;
 * the file is rewritten only if the state changed. Updates must be idempotent (stable ids), because a
 * transaction whose lock was taken over mid-way is run again from a fresh read.
 */
export async function withLockedState<T>(
  dir: string,
  update: (state: BgState) => T,
  options: TransactionOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const warnings = options.warnings ?? [];
  ensureStateDir(dir);
  for (let attempt = 0; ; attempt++) {
    const lock = await acquireLock(dir, options);
    let committed = false;
    try {
      const read = readStateFile(dir);
      if (read.damage) quarantine(dir, read.damage, now(), warnings);
      const before = JSON.stringify(read.state);
      const result = update(read.state);
      const after = JSON.stringify(read.state);
      if (after !== before || read.damage) {
        read.state.updatedAt = now();
        if (!lock.stillOurs()) {
          if (attempt < 2) continue;
          throw new BgNotifyError("ECOMPROMISED", "state lock was taken over during the transaction");
        }
        writeAtomically(dir, STATE_FILE, JSON.stringify(read.state));
        committed = true;
      }
      options.afterCommit?.();
      if (committed && attempt === 0 && Math.random() < 0.05) removeOrphanedTempFiles(dir, now());
      return result;
    } finally {
      await lock.release();
    }
  }
}

/** A lock-free read for paths that only look; damage is reported, never repaired, here. */
export function readState(dir: string, warnings: string[] = []): BgState {
  const read = readStateFile(dir);
  if (read.damage)
    warnings.push(`bg-notify: state.json is damaged (${read.damage}); the next change will quarantine it`);
  return read.state;
}

export function appendEventLine(dir: string, record: EventRecord): void {
  ensureStateDir(dir);
  const path = join(dir, EVENTS_FILE);
  try {
    if (statSync(path).size > EVENTS_MAX_BYTES) renameSync(path, join(dir, "events.1.jsonl"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  appendFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

export function readEventLines(dir: string): EventRecord[] {
  const records: EventRecord[] = [];
  for (const name of ["events.1.jsonl", EVENTS_FILE]) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as EventRecord);
      } catch {
        // a line cut short by a kill mid-append; the rest of the log still counts
      }
    }
  }
  return records;
}

export interface FileStoreOptions extends LockOptions {
  dir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  now?: () => number;
}

export function createFileStore(options: FileStoreOptions = {}): StateStore {
  const dir = options.dir ?? resolveStateDir(options);
  const now = options.now ?? Date.now;
  const warnings: string[] = [];
  return {
    kind: "file",
    warnings,
    read: async () => readState(dir, warnings),
    transact: (update) => withLockedState(dir, update, { ...options, now, warnings }),
    appendEvent: (record) => appendEventLine(dir, record),
  };
}

export function loadBackgroundState(dir: string = resolveStateDir(), warnings: string[] = []): BgState {
  return readState(dir, warnings);
}

export async function saveBackgroundState(state: BgState, dir: string = resolveStateDir()): Promise<void> {
  await withLockedState(dir, (current) => {
    Object.assign(current, structuredClone(state));
  });
}

export async function clearBackgroundState(dir: string = resolveStateDir()): Promise<void> {
  await withLockedState(dir, (current) => {
    Object.assign(current, createEmptyState());
  });
}

export function stateFilePath(dir: string): string {
  return join(dir, STATE_FILE);
}
