// The only module that touches the file system and the lock. Every change to state.json goes through one
// transaction: lock → read → update → journal → atomic write (temp file, fsync, rename) → unlock. A hook
// process may hold a transaction that claims a batch open until it prints the batch (see `holdClaims`).
import { randomBytes } from "node:crypto";
import fs, {
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
import { createEmptyState, parseState, taskKey } from "./state.js";
import type { BackgroundTask, Batch, BgState } from "./types.js";

export const STATE_FILE = "state.json";
export const EVENTS_FILE = "events.jsonl";
/** Write-ahead record of completions recorded and batches claimed: what a damaged state.json is rebuilt from. */
export const JOURNAL_FILE = "journal.jsonl";
export const LOCK_DIR = "state.lock";
const LOG_MAX_BYTES = 1024 * 1024;
const ORPHAN_TMP_AGE_MS = 10_000;
/** Task text kept in the journal: enough for a recovered notice's excerpt, small enough to keep it cheap. */
const JOURNAL_TEXT_CHARS = 2000;

/** An fs error as one line: Node's message already starts with its code ("ENOSPC: no space left…"). */
function fsReason(error: unknown): string {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string"
    ? error.message.replace(/\s+/g, " ").slice(0, 300)
    : describeError(error);
}

export interface EventRecord {
  id: string;
  time: string;
  type: string;
  payload: unknown;
  source: string;
}

export interface SettleResult {
  ok: boolean;
  /** Whether held changes were written (false when nothing was held). */
  committed: boolean;
  /** Why held changes were not written; they stay undone, so what they claimed is still owed. */
  reason?: string;
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
  /**
   * For a hook process: from now on, a transaction that claims a batch keeps the lock and leaves its
   * changes uncommitted (later transactions build on them) until `settle`. The hook prints the batch
   * right after settling, so a kill can no longer fall between "marked delivered" and "printed".
   */
  holdClaims?(): void;
  /** Commits what is held, synchronously, and releases the lock. Nothing held: `{ok: true, committed: false}`. */
  settle?(): SettleResult;
  /** Drops what is held and releases the lock; any later transaction fails. */
  abandon?(): void;
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
    throw new BgNotifyError("ESTATE", `cannot create state directory ${dir}: ${fsReason(error)}`, {
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
        warnings: [`bg-notify: cannot read ${path}: ${fsReason(error)}`],
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
    throw new BgNotifyError("ESTATE", `cannot read ${join(dir, STATE_FILE)}: ${fsReason(error)}`, {
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

/** Writes `text` to a fresh temp file beside `name` and fsyncs it; the caller renames it into place. */
function writeTemp(dir: string, name: string, text: string): string {
  const tmp = join(dir, `${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    removeQuietly(tmp);
    throw new BgNotifyError("ESTATE", `cannot write ${join(dir, name)}: ${fsReason(error)}`, {
      cause: error,
    });
  }
  return tmp;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {}
}

function renameIntoPlace(tmp: string, dir: string, name: string): void {
  try {
    renameSync(tmp, join(dir, name));
  } catch (error) {
    removeQuietly(tmp);
    throw new BgNotifyError("ESTATE", `cannot replace ${join(dir, name)}: ${fsReason(error)}`, {
      cause: error,
    });
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

/** Appends lines to a log, moving it to `<name>.1` (replacing the previous one) once it passes 1 MB. */
function appendLog(dir: string, name: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  const path = join(dir, name);
  try {
    if (statSync(path).size > LOG_MAX_BYTES)
      renameSync(path, join(dir, name.replace(/\.jsonl$/, ".1.jsonl")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  appendFileSync(path, `${lines.join("\n")}\n`, { mode: 0o600 });
}

function readLog(dir: string, name: string): unknown[] {
  const records: unknown[] = [];
  for (const file of [name.replace(/\.jsonl$/, ".1.jsonl"), name]) {
    let text: string;
    try {
      text = readFileSync(join(dir, file), "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line));
      } catch {
        // a line cut short by a kill mid-append; the rest of the log still counts
      }
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------
// The journal: one line per completion recorded into a batch and per batch claimed, appended before the
// state file that holds the change is renamed into place (so it may hold a change that never committed:
// recovery then errs towards telling a completion again, never towards dropping it).

type JournalEntry =
  | { t: "recorded"; at: number; key: string; batchId: string; task: BackgroundTask }
  | { t: "claimed"; at: number; batchId: string };

interface Marks {
  keys: Set<string>;
  delivered: Set<string>;
}

function marks(state: BgState): Marks {
  const keys = new Set<string>();
  const delivered = new Set<string>();
  for (const batch of state.batches) {
    if (batch.deliveredAt !== undefined) delivered.add(batch.id);
    for (const item of batch.items) keys.add(item.key);
  }
  return { keys, delivered };
}

function clipTask(task: BackgroundTask): BackgroundTask {
  const copy = { ...task };
  if (copy.result !== undefined) copy.result = copy.result.slice(0, JOURNAL_TEXT_CHARS);
  if (copy.error !== undefined) copy.error = copy.error.slice(0, JOURNAL_TEXT_CHARS);
  return copy;
}

function journalEntries(before: Marks, state: BgState, at: number): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const batch of state.batches) {
    for (const item of batch.items) {
      if (!before.keys.has(item.key))
        entries.push({
          t: "recorded",
          at: item.recordedAt,
          key: item.key,
          batchId: batch.id,
          task: clipTask(item.task),
        });
    }
    if (batch.deliveredAt !== undefined && !before.delivered.has(batch.id))
      entries.push({ t: "claimed", at, batchId: batch.id });
  }
  return entries;
}

/** Appends journal lines; returns why it could not, for the caller to report if its commit goes ahead. */
function appendJournal(dir: string, entries: readonly JournalEntry[]): string | undefined {
  try {
    appendLog(
      dir,
      JOURNAL_FILE,
      entries.map((e) => JSON.stringify(e)),
    );
    return undefined;
  } catch (error) {
    return `bg-notify: cannot append to ${join(dir, JOURNAL_FILE)}: ${fsReason(error)}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Rebuilds what was owed from the journal and the event log (`background_task_completed` records carry
 * the key and batch id; `background_tasks_notification` marks a batch told): every recorded completion
 * goes back into the ledger, and those whose batch was never claimed are owed again, in their batch.
 */
export function recoverFromLogs(dir: string, now: number): { state: BgState; owed: number } {
  const recorded = new Map<string, { at: number; batchId: string; task: BackgroundTask }>();
  const claimed = new Set<string>();
  for (const entry of readLog(dir, JOURNAL_FILE)) {
    if (!isRecord(entry)) continue;
    if (entry["t"] === "claimed" && typeof entry["batchId"] === "string") claimed.add(entry["batchId"]);
    if (
      entry["t"] === "recorded" &&
      typeof entry["key"] === "string" &&
      typeof entry["batchId"] === "string" &&
      typeof entry["at"] === "number" &&
      isRecord(entry["task"])
    ) {
      recorded.set(entry["key"], {
        at: entry["at"],
        batchId: entry["batchId"],
        task: entry["task"] as unknown as BackgroundTask,
      });
    }
  }
  for (const record of readLog(dir, EVENTS_FILE)) {
    if (!isRecord(record) || !isRecord(record["payload"])) continue;
    const p = record["payload"];
    if (record["type"] === "background_tasks_notification" && typeof p["batchId"] === "string")
      claimed.add(p["batchId"]);
    if (
      record["type"] === "background_task_completed" &&
      typeof p["key"] === "string" &&
      typeof p["batchId"] === "string" &&
      typeof p["taskId"] === "string" &&
      typeof p["parentSessionId"] === "string" &&
      !recorded.has(p["key"])
    ) {
      const status = p["status"] === "completed" || p["status"] === "cancelled" ? p["status"] : "error";
      const task: BackgroundTask = {
        id: p["taskId"],
        parentSessionId: p["parentSessionId"],
        kind: "task",
        description: p["taskId"],
        status,
      };
      if (typeof p["result"] === "string") task.result = p["result"].slice(0, JOURNAL_TEXT_CHARS);
      if (typeof p["error"] === "string") task.error = p["error"].slice(0, JOURNAL_TEXT_CHARS);
      const at = Date.parse(String(record["time"]));
      recorded.set(p["key"], { at: Number.isFinite(at) ? at : now, batchId: p["batchId"], task });
    }
  }

  const state = createEmptyState(now);
  const batches = new Map<string, Batch>();
  let owed = 0;
  for (const [key, { at, batchId, task }] of [...recorded].sort((a, b) => a[1].at - b[1].at)) {
    state.ledger[key] = at;
    if (typeof task.parentSessionId !== "string" || typeof task.id !== "string") continue;
    state.tasks[taskKey(task.parentSessionId, task.id)] = task;
    if (claimed.has(batchId)) continue;
    let batch = batches.get(batchId);
    if (!batch) {
      batch = { id: batchId, parentSessionId: task.parentSessionId, openedAt: at, items: [] };
      batches.set(batchId, batch);
      state.batches.push(batch);
    }
    batch.items.push({ key, recordedAt: at, task });
    owed++;
  }
  // Only what validates goes back: a journal line written by another version must not poison the state.
  const parsed = parseState(state);
  return parsed.ok ? { state: parsed.state, owed } : { state: createEmptyState(now), owed: 0 };
}

// ---------------------------------------------------------------------------------------------------
// The lock.

export interface LockOptions {
  /** proper-lockfile's minimum: a killed holder is taken over this long after its last heartbeat. */
  staleMs?: number;
  /** How many times to retry a held lock; 0 fails at once (SessionEnd's 1.5 s budget). Default: up to 6 s. */
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

function sameIdentity(a: LockIdentity | undefined, b: LockIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.ino === b.ino && a.birthtimeMs === b.birthtimeMs;
}

interface HeldLock {
  /** False once another process may have taken the lock over (we stalled past the stale time). */
  stillOurs(): boolean;
  release(): Promise<void>;
  releaseSync(): void;
}

const RETRY_MIN_MS = 5;
/** Polling a held lock this often (±100%) lets a waiter in soon after a killed holder's lock goes stale. */
const RETRY_MAX_MS = 50;
/** How long a transaction waits for the lock by default: under every hook's deadline, over the stale time. */
const LOCK_WAIT_BUDGET_MS = 6000;

/**
 * Takes the lock with proper-lockfile's synchronous calls (its heartbeat too), retrying on our own timer.
 * No libuv thread-pool work happens, so the pool is never started and process exit does not wait to join
 * it: the time between a commit and the exit of the process that printed it stays as short as can be.
 */
async function acquireLock(dir: string, options: LockOptions): Promise<HeldLock> {
  const statePath = join(dir, STATE_FILE);
  const lockPath = join(dir, LOCK_DIR);
  let compromised = false;
  let identity: LockIdentity | undefined;
  // proper-lockfile removes "its" lock directory on release and at process exit. After a stale takeover
  // that directory is the new holder's; removing it would let a third process in. Only ours is removed.
  const mayRemove = (path: unknown) =>
    identity === undefined ||
    resolve(String(path)) !== lockPath ||
    sameIdentity(lockIdentity(lockPath), identity);
  // Only what proper-lockfile calls (mkdir, realpath, stat, utimes, rmdir and their Sync forms): spreading
  // all of node:fs would load its stream classes, several ms of every locking hook (docs/PERFORMANCE.md).
  const staleMs = Math.max(options.staleMs ?? 2000, 2000);
  const guardedFs = {
    mkdir: fs.mkdir,
    mkdirSync: fs.mkdirSync,
    realpath: fs.realpath,
    realpathSync: fs.realpathSync,
    stat: fs.stat,
    statSync: fs.statSync,
    utimes: fs.utimes,
    rmdir: fs.rmdir,
    rmdirSync: (path: fs.PathLike) => {
      if (!mayRemove(path)) return;
      // Removing a stale lock: proper-lockfile decided it was stale from an earlier stat. Two waiters
      // that both saw a killed holder's lock go stale would otherwise both remove "it" — the second
      // removing the lock the first had just taken — and both would hold the lock. Look again: a lock
      // that is fresh now is someone's, and the retry will find it held.
      if (identity === undefined && resolve(String(path)) === lockPath) {
        try {
          if (fs.statSync(path).mtimeMs >= Date.now() - staleMs) return;
        } catch {
          return;
        }
      }
      fs.rmdirSync(path);
    },
    // A new lock's mtime is set to the next whole second (+5 ms) to probe the file system's precision,
    // and every hook is a new process that probes again: a holder killed at once would then be waited
    // for up to 3 s instead of 2. The lock's mtime is never set in the future; a millisecond part of 0
    // is avoided so that the probe still reads millisecond precision.
    utimesSync: (path: fs.PathLike, atime: fs.TimeLike, mtime: fs.TimeLike) => {
      if (resolve(String(path)) === lockPath && new Date(mtime).getTime() > Date.now()) {
        let now = Date.now();
        if (now % 1000 === 0) now++;
        fs.utimesSync(path, new Date(now), new Date(now));
      } else fs.utimesSync(path, atime, mtime);
    },
  };
  const lockOptions = { realpath: false, lockfilePath: lockPath, fs: guardedFs };
  const started = Date.now();
  let release: () => void;
  for (let attempt = 0; ; attempt++) {
    try {
      release = lockfile.lockSync(statePath, {
        ...lockOptions,
        stale: staleMs,
        update: 1000,
        onCompromised: () => {
          compromised = true;
        },
      });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const mayWait =
        options.retries === undefined
          ? Date.now() - started < LOCK_WAIT_BUDGET_MS
          : attempt < options.retries;
      if (code === "ELOCKED" && mayWait) {
        const wait = Math.min(RETRY_MIN_MS * 1.3 ** attempt, RETRY_MAX_MS) * (1 + Math.random());
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      if (code === "ELOCKED") {
        throw new BgNotifyError("ELOCKED", `state lock ${lockPath} is held by another process`, {
          cause: error,
        });
      }
      throw new BgNotifyError("ESTATE", `cannot lock ${lockPath}: ${fsReason(error)}`, { cause: error });
    }
  }
  identity = lockIdentity(lockPath);
  const stillOurs = () => !compromised && sameIdentity(lockIdentity(lockPath), identity);
  let released = false;
  const releaseSync = () => {
    if (released) return;
    released = true;
    try {
      release();
    } catch {}
  };
  return { stillOurs, release: async () => releaseSync(), releaseSync };
}

// ---------------------------------------------------------------------------------------------------
// Transactions.

export interface TransactionOptions extends LockOptions {
  now?: () => number;
  warnings?: string[];
  /** Called after the new state is committed and before the lock is released. */
  afterCommit?: () => void;
}

/** A claiming transaction kept open: the lock, the changed state, and the journal lines still to write. */
interface Held {
  lock: HeldLock;
  state: BgState;
  journal: JournalEntry[];
}

/**
 * Loads the state for an update. A damaged file is moved aside, what the journal and the event log say
 * is still owed is rebuilt, and that is committed at once — before the update, so that nothing recovered
 * depends on what the caller does next.
 */
function loadForUpdate(dir: string, lock: HeldLock, now: number, warnings: string[]): BgState {
  const read = readStateFile(dir);
  if (!read.damage) return read.state;
  if (!lock.stillOurs()) throw new BgNotifyError("ECOMPROMISED", "state lock was taken over");
  const aside = join(dir, `state.corrupt-${now}-${process.pid}.json`);
  try {
    renameSync(join(dir, STATE_FILE), aside);
  } catch (error) {
    throw new BgNotifyError(
      "ESTATE",
      `state.json is damaged (${read.damage}) and cannot be moved aside: ${fsReason(error)}`,
      { cause: error },
    );
  }
  const { state, owed } = recoverFromLogs(dir, now);
  renameIntoPlace(writeTemp(dir, STATE_FILE, JSON.stringify(state)), dir, STATE_FILE);
  warnings.push(
    `bg-notify: state.json was damaged (${read.damage}); moved it to ${aside} and rebuilt it from the journal` +
      (owed > 0 ? ` (${owed} undelivered completion${owed === 1 ? "" : "s"} recovered)` : ""),
  );
  return state;
}

/**
 * Journal first, then the state; false if the lock is no longer ours (nothing written). The journal only
 * matters once state.json is damaged, so a failed append does not stop the commit; it is reported only
 * when the commit itself goes through (a full disk fails both, and one line about the commit is enough).
 */
function commit(
  dir: string,
  state: BgState,
  journal: readonly JournalEntry[],
  lock: HeldLock,
  warnings: string[],
): boolean {
  const journalProblem = appendJournal(dir, journal);
  const tmp = writeTemp(dir, STATE_FILE, JSON.stringify(state));
  // Checked after the fsync, right before the rename: a takeover during the write is caught too.
  if (!lock.stillOurs()) {
    removeQuietly(tmp);
    return false;
  }
  renameIntoPlace(tmp, dir, STATE_FILE);
  if (journalProblem) warnings.push(journalProblem);
  return true;
}

async function runTransaction<T>(
  dir: string,
  update: (state: BgState) => T,
  options: TransactionOptions,
  /** Offered a claiming transaction; returns true to keep it open (it then owns the lock). */
  hold?: (held: Held) => boolean,
): Promise<T> {
  const now = options.now ?? Date.now;
  const warnings = options.warnings ?? [];
  ensureStateDir(dir);
  for (let attempt = 0; ; attempt++) {
    const lock = await acquireLock(dir, options);
    let kept = false;
    try {
      const state = loadForUpdate(dir, lock, now(), warnings);
      const before = marks(state);
      const beforeJson = JSON.stringify(state);
      const result = update(state);
      let committed = false;
      if (JSON.stringify(state) !== beforeJson) {
        state.updatedAt = now();
        const journal = journalEntries(before, state, now());
        if (hold && journal.some((e) => e.t === "claimed")) {
          if (!hold({ lock, state, journal }))
            throw new BgNotifyError("ESTATE", "this hook has already finished with the state");
          kept = true;
          return result;
        }
        if (!commit(dir, state, journal, lock, warnings)) {
          if (attempt < 2) continue;
          throw new BgNotifyError("ECOMPROMISED", "state lock was taken over during the transaction");
        }
        committed = true;
      }
      options.afterCommit?.();
      if (committed && attempt === 0 && Math.random() < 0.05) removeOrphanedTempFiles(dir, now());
      return result;
    } finally {
      if (!kept) await lock.release();
    }
  }
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
  return runTransaction(dir, update, options);
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
  appendLog(dir, EVENTS_FILE, [JSON.stringify(record)]);
}

export function readEventLines(dir: string): EventRecord[] {
  return readLog(dir, EVENTS_FILE) as EventRecord[];
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
  const txOptions: TransactionOptions = { ...options, now, warnings };
  let holding = false;
  let closed = false;
  let held: Held | undefined;

  const offerHold = (candidate: Held): boolean => {
    if (closed || held) return false;
    held = candidate;
    return true;
  };

  /** A transaction while a claim is held runs on the held state, in memory: the lock is ours already. */
  const applyHeld = <T>(current: Held, update: (state: BgState) => T): T => {
    const draft = structuredClone(current.state);
    const before = marks(draft);
    const beforeJson = JSON.stringify(draft);
    const result = update(draft);
    if (JSON.stringify(draft) !== beforeJson) {
      draft.updatedAt = now();
      current.journal.push(...journalEntries(before, draft, now()));
    }
    current.state = draft;
    return result;
  };

  const store: StateStore = {
    kind: "file",
    warnings,
    read: async () => {
      if (held) return structuredClone(held.state);
      const snapshot = readStateFile(dir);
      if (!snapshot.damage) return snapshot.state;
      // Damage seen by a reader is repaired at once, so what the journal can recover is owed again now.
      try {
        await store.transact(() => undefined);
      } catch (error) {
        warnings.push(
          `bg-notify: state.json is damaged (${snapshot.damage}) and could not be repaired: ${describeError(error)}`,
        );
        return snapshot.state;
      }
      return readStateFile(dir).state;
    },
    transact: async (update) => {
      if (closed) throw new BgNotifyError("ESTATE", "this hook has already finished with the state");
      if (held) return applyHeld(held, update);
      return runTransaction(dir, update, txOptions, holding ? offerHold : undefined);
    },
    appendEvent: (record) => {
      try {
        appendEventLine(dir, record);
      } catch (error) {
        // The event log is a record for people and recovery, never a reason to fail a delivery.
        warnings.push(`bg-notify: cannot append to ${join(dir, EVENTS_FILE)}: ${fsReason(error)}`);
      }
    },
    holdClaims: () => {
      holding = true;
    },
    settle: () => {
      const current = held;
      if (!current) return { ok: true, committed: false };
      held = undefined;
      closed = true;
      try {
        if (!current.lock.stillOurs())
          return {
            ok: false,
            committed: false,
            reason: "the state lock was taken over while this hook held it",
          };
        const journalProblem = appendJournal(dir, current.journal);
        const tmp = writeTemp(dir, STATE_FILE, JSON.stringify(current.state));
        if (!current.lock.stillOurs()) {
          removeQuietly(tmp);
          return {
            ok: false,
            committed: false,
            reason: "the state lock was taken over while this hook held it",
          };
        }
        renameIntoPlace(tmp, dir, STATE_FILE);
        if (journalProblem) warnings.push(journalProblem);
        return { ok: true, committed: true };
      } catch (error) {
        return { ok: false, committed: false, reason: describeError(error) };
      } finally {
        current.lock.releaseSync();
      }
    },
    abandon: () => {
      closed = true;
      const current = held;
      held = undefined;
      current?.lock.releaseSync();
    },
  };
  return store;
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
