// The one transaction primitive over state.json: lock → read (quarantining a damaged file) → update →
// journal → atomic write → unlock. A claiming transaction may instead be held open by the caller.
import { join } from "node:path";
import { BgNotifyError, isBgNotifyError } from "../core/errors.js";
import { createEmptyState, parseState } from "../core/state.js";
import type { BgState } from "../core/types.js";
import { fsReason, removeOrphanedTempFiles, removeQuietly, renameIntoPlace, writeTemp } from "./files.js";
import { appendJournal, type JournalEntry, journalEntries, marks, recoverFromLogs } from "./journal.js";
import { readQueued, removeQueued } from "./launch-inbox.js";
import { acquireLock, type HeldLock, type LockOptions } from "./lock.js";
import { ensureStateDir, STATE_FILE, type StateLayout, verifyStateDir } from "./paths.js";
import { dropAllFlags, flagsAfterCommit, flagsBeforeCommit } from "./quiet-flags.js";
import { copyOwnFile, readOwnFile } from "./safe-fs.js";

/**
 * Pruning keeps state.json near 25 KB; one past this was not written by bg-notify, and reading it would
 * cost every hook (a 20 MB state took 0.36 s per transaction). Treated as damaged.
 */
export const STATE_MAX_BYTES = 4 * 1024 * 1024;

export interface ReadResult {
  state: BgState;
  /** Why the file on disk could not be used, when it could not. */
  damage?: string;
}

export function readStateFile(dir: string): ReadResult {
  let text: string;
  try {
    const read = readOwnFile(join(dir, STATE_FILE), STATE_MAX_BYTES);
    if (!read) return { state: createEmptyState() };
    if (read.truncated)
      return { state: createEmptyState(), damage: `larger than ${STATE_MAX_BYTES / 1024 / 1024} MB` };
    text = read.text;
  } catch (error) {
    if (isBgNotifyError(error)) throw error;
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

export interface TransactionOptions extends LockOptions {
  now?: () => number;
  warnings?: string[];
  /** Called after the new state is committed and before the lock is released. */
  afterCommit?: () => void;
}

/** A claiming transaction kept open: the lock, the changed state, and the journal lines still to write. */
export interface Held {
  lock: HeldLock;
  state: BgState;
  journal: JournalEntry[];
  /** Queued launches folded into `state`, to remove from the inbox once it is committed. */
  queued: string[];
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
  // Copied, not moved: state.json, once written, is always there (hooks/run reads "never committed" from
  // its absence), and the rebuilt state replaces it atomically.
  try {
    copyOwnFile(join(dir, STATE_FILE), aside);
  } catch (error) {
    if (isBgNotifyError(error)) throw error;
    throw new BgNotifyError(
      "ESTATE",
      `state.json is damaged (${read.damage}) and cannot be moved aside: ${fsReason(error)}`,
      { cause: error },
    );
  }
  const { state, owed, skipped } = recoverFromLogs(dir, now);
  dropAllFlags(dir);
  renameIntoPlace(writeTemp(dir, STATE_FILE, JSON.stringify(state)), dir, STATE_FILE);
  const details = [
    ...(owed > 0 ? [`${owed} undelivered completion${owed === 1 ? "" : "s"} recovered`] : []),
    ...(skipped > 0
      ? [`${skipped} log line${skipped === 1 ? "" : "s"} skipped as not written by this version`]
      : []),
  ];
  warnings.push(
    `bg-notify: state.json was damaged (${read.damage}); copied it to ${aside} and rebuilt it from the journal` +
      (details.length > 0 ? ` (${details.join("; ")})` : ""),
  );
  return state;
}

/**
 * Runs `update` on `state` in place. When it changed anything, stamps the state and returns the journal
 * lines that record the change; `journal` is undefined when nothing changed (nothing to write).
 */
export function applyUpdate<T>(
  state: BgState,
  update: (state: BgState) => T,
  at: number,
): { result: T; journal: JournalEntry[] | undefined } {
  const before = marks(state);
  const beforeJson = JSON.stringify(state);
  const result = update(state);
  if (JSON.stringify(state) === beforeJson) return { result, journal: undefined };
  state.updatedAt = at;
  return { result, journal: journalEntries(before, state, at) };
}

/**
 * Journal first, then the state; false if the lock is no longer ours (nothing written). The journal only
 * matters once state.json is damaged, so a failed append does not stop the commit; it is reported only
 * when the commit itself goes through (a full disk fails both, and one line about the commit is enough).
 */
export function commit(
  dir: string,
  state: BgState,
  journal: readonly JournalEntry[],
  lock: HeldLock,
  warnings: string[],
): boolean {
  const journalProblem = appendJournal(dir, journal);
  const tmp = writeTemp(dir, STATE_FILE, JSON.stringify(state));
  // Dropping a flag early is always safe (the launcher then starts node), and it keeps the flag files'
  // syscalls out of the gap between the last look at the lock and the rename.
  const holding = flagsBeforeCommit(dir, state);
  // Checked after the write, right before the rename: a takeover during the write is caught too.
  if (!lock.stillOurs()) {
    removeQuietly(tmp);
    return false;
  }
  renameIntoPlace(tmp, dir, STATE_FILE);
  flagsAfterCommit(dir, holding);
  if (journalProblem) warnings.push(journalProblem);
  return true;
}

export async function runTransaction<T>(
  location: string | StateLayout,
  update: (state: BgState) => T,
  options: TransactionOptions,
  /** Offered a claiming transaction; returns true to keep it open (it then owns the lock). */
  hold?: (held: Held) => boolean,
): Promise<T> {
  const now = options.now ?? Date.now;
  const warnings = options.warnings ?? [];
  const dir = typeof location === "string" ? location : location.dir;
  ensureStateDir(location);
  for (let attempt = 0; ; attempt++) {
    const lock = await acquireLock(dir, options);
    let kept = false;
    try {
      const state = loadForUpdate(dir, lock, now(), warnings);
      const queued = readQueued(dir, warnings, now());
      const { result, journal } = applyUpdate(
        state,
        (draft) => {
          queued.fold(draft);
          return update(draft);
        },
        now(),
      );
      if (journal) {
        if (hold && journal.some((e) => e.t === "claimed")) {
          if (!hold({ lock, state, journal, queued: queued.names }))
            throw new BgNotifyError("ESTATE", "this hook has already finished with the state");
          kept = true;
          return result;
        }
        if (!commit(dir, state, journal, lock, warnings)) {
          if (attempt < 2) continue;
          throw new BgNotifyError("ECOMPROMISED", "state lock was taken over during the transaction");
        }
      }
      // Committed, or already in the state (the fold changed nothing): the inbox entries are done.
      removeQueued(dir, queued.names, warnings);
      options.afterCommit?.();
      if (journal && attempt === 0 && Math.random() < 0.05) removeOrphanedTempFiles(dir, now());
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
  location: string | StateLayout,
  update: (state: BgState) => T,
  options: TransactionOptions = {},
): Promise<T> {
  return runTransaction(location, update, options);
}

/** A lock-free read for paths that only look; damage is reported, never repaired, here. */
export function readState(location: string | StateLayout, warnings: string[] = []): BgState {
  const layout = typeof location === "string" ? { dir: location } : location;
  const dir = layout.dir;
  if (!verifyStateDir(layout)) return createEmptyState();
  const read = readStateFile(dir);
  if (read.damage)
    warnings.push(`bg-notify: state.json is damaged (${read.damage}); the next change will quarantine it`);
  return withQueued(dir, read.state, warnings);
}

/** A snapshot as the next transaction will see it: with the launches hooks/run queued since. */
export function withQueued(dir: string, state: BgState, warnings: string[], now = Date.now()): BgState {
  readQueued(dir, warnings, now).fold(state);
  return state;
}
