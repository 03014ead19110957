// The one transaction primitive over state.json: lock → read (quarantining a damaged file) → update →
// journal → atomic write → unlock. A claiming transaction may instead be held open by the caller.
import { join } from "node:path";
import { BgNotifyError, isBgNotifyError } from "../core/errors.js";
import { createEmptyState, parseState } from "../core/state.js";
import type { BgState } from "../core/types.js";
import { fsReason, removeOrphanedTempFiles, removeQuietly, renameIntoPlace, writeTemp } from "./files.js";
import {
  appendJournal,
  type JournalEntry,
  journalEntries,
  journalMark,
  journalText,
  marks,
  recoverFromLogs,
  replayLostCommits,
} from "./journal.js";
import { type InboxFold, readQueued, removeQueued } from "./launch-inbox.js";
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
  /** Folds the launcher's queued inputs into every transaction (the plugin's); none: left queued. */
  inbox?: InboxFold;
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
 * Loads the state for an update, with what a commit that lost its lock overwrote put back from the
 * journal (`replayed` lines: the state must then be committed even if the update changes nothing). A
 * damaged file is copied aside, what the journal and the event log say is still owed is rebuilt, and
 * that is committed at once — before the update, so that nothing recovered depends on what the caller
 * does next.
 */
function loadForUpdate(
  dir: string,
  lock: HeldLock,
  now: number,
  warnings: string[],
): { state: BgState; replayed: number } {
  const read = readStateFile(dir);
  if (!read.damage) return { state: read.state, replayed: replayLostCommits(dir, read.state) };
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
  if (commit(dir, state, [], lock, warnings) === "not-ours")
    throw new BgNotifyError("ECOMPROMISED", "state lock was taken over");
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
  return { state, replayed: 0 };
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
 * committed; not-ours: the lock was lost before the rename, nothing was written (run it again from a
 * fresh read); overtaken: written, but the lock was lost by then, so the rename may have replaced a
 * successor's commit (what it recorded is in the journal after this state's mark: the next load puts it
 * back).
 */
export type CommitOutcome = "committed" | "not-ours" | "overtaken";

/**
 * The state, then its journal lines (stamped with the commit's count, at the mark the state keeps): the
 * journal holds only what committed. It only matters once something is lost, so a failed append does not
 * undo the commit; it is reported (a full disk fails the commit first, and one line is enough).
 */
export function commit(
  dir: string,
  state: BgState,
  journal: readonly JournalEntry[],
  lock: HeldLock,
  warnings: string[],
): CommitOutcome {
  const count = (state.commits ?? 0) + 1;
  const text = journalText(journal, count);
  const mark = journalMark(dir, text);
  state.commits = count;
  if (mark) state.journal = mark;
  else delete state.journal;
  const tmp = writeTemp(dir, STATE_FILE, JSON.stringify(state));
  // Dropping a flag early is always safe (the launcher then starts node), and it keeps the flag files'
  // syscalls out of the gap between the last look at the lock and the rename.
  const holding = flagsBeforeCommit(dir, state);
  // Checked after the write, right before the rename: a takeover during the write is caught too.
  if (!lock.stillOurs()) {
    removeQuietly(tmp);
    return "not-ours";
  }
  renameIntoPlace(tmp, dir, STATE_FILE);
  const journalProblem = appendJournal(dir, text);
  // A pause between that look and the rename (a laptop lid, a VM pause) can outlast the stale time.
  // Flags follow only a commit known to be the last one.
  if (!lock.stillOurs()) return "overtaken";
  flagsAfterCommit(dir, holding);
  if (journalProblem) warnings.push(journalProblem);
  return "committed";
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
    let outcome: CommitOutcome | undefined;
    let result: T;
    try {
      const { state, replayed } = loadForUpdate(dir, lock, now(), warnings);
      const queued = readQueued(dir, warnings, now(), options.inbox);
      const applied = applyUpdate(
        state,
        (draft) => {
          queued.fold(draft);
          return update(draft);
        },
        now(),
      );
      result = applied.result;
      const journal = applied.journal ?? (replayed > 0 ? [] : undefined);
      if (journal) {
        if (hold && journal.some((e) => e.t === "claimed")) {
          if (!hold({ lock, state, journal, queued: queued.names }))
            throw new BgNotifyError("ESTATE", "this hook has already finished with the state");
          kept = true;
          return result;
        }
        outcome = commit(dir, state, journal, lock, warnings);
        if (outcome === "not-ours") {
          if (attempt < 2) continue;
          throw new BgNotifyError("ECOMPROMISED", "state lock was taken over during the transaction");
        }
      }
      // Committed, or already in the state (the fold changed nothing): the inbox entries are done.
      removeQueued(dir, queued.names, warnings);
      options.afterCommit?.();
      if (journal && attempt === 0 && Math.random() < 0.05) removeOrphanedTempFiles(dir, now());
    } finally {
      if (!kept) await lock.release();
    }
    // What a successor committed meanwhile is put back at once, under the lock, by an ordinary load.
    if (outcome === "overtaken")
      await runTransaction(location, () => undefined, options).catch(() => undefined);
    return result;
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
export function readState(
  location: string | StateLayout,
  warnings: string[] = [],
  inbox?: InboxFold,
): BgState {
  const layout = typeof location === "string" ? { dir: location } : location;
  const dir = layout.dir;
  if (!verifyStateDir(layout)) return createEmptyState();
  const read = readStateFile(dir);
  if (read.damage)
    warnings.push(`bg-notify: state.json is damaged (${read.damage}); the next change will quarantine it`);
  return withQueued(dir, read.state, warnings, Date.now(), inbox);
}

/** A snapshot as the next transaction will see it: with the inputs hooks/run queued since. */
export function withQueued(
  dir: string,
  state: BgState,
  warnings: string[],
  now: number,
  inbox: InboxFold | undefined,
): BgState {
  readQueued(dir, warnings, now, inbox).fold(state);
  return state;
}
