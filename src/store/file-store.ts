// The file store: state.json through the one transaction primitive, events.jsonl beside it. A hook
// process may hold a transaction that claims a batch open until it prints the batch (see `holdClaims`).
import { join } from "node:path";
import { BgNotifyError, describeError, isBgNotifyError } from "../core/errors.js";
import { createEmptyState } from "../core/state.js";
import type { BgState } from "../core/types.js";
import { appendLog, fsReason, readLog } from "./files.js";
import { type InboxFold, removeFolded, removeQueued } from "./launch-inbox.js";
import type { LockOptions } from "./lock.js";
import {
  EVENTS_FILE,
  ensureStateDir,
  resolveStateLayout,
  type StateLayout,
  verifyStateDir,
} from "./paths.js";
import {
  applyUpdate,
  commit,
  type Held,
  readStateFile,
  runTransaction,
  type TransactionOptions,
  withQueued,
} from "./transaction.js";
import type { EventRecord, StateStore } from "./types.js";

export function appendEventLine(location: string | StateLayout, record: EventRecord): void {
  const dir = typeof location === "string" ? location : location.dir;
  const line = [JSON.stringify(record)];
  // Nearly always after a transaction, which made and checked the directory.
  ensureStateDir(location);
  appendLog(dir, EVENTS_FILE, line);
}

export function readEventLines(location: string | StateLayout): EventRecord[] {
  const layout = typeof location === "string" ? { dir: location } : location;
  if (!verifyStateDir(layout)) return [];
  return readLog(layout.dir, EVENTS_FILE) as EventRecord[];
}

export interface FileStoreOptions extends LockOptions {
  /** The state directory, trusted as given (only what bg-notify makes inside it is checked). */
  dir?: string;
  /** The state directory and the project directories above it that bg-notify made (and checks). */
  layout?: StateLayout;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  now?: () => number;
  /** The plugin's fold of the launcher's queued inputs; without it they stay queued for a hook. */
  inbox?: InboxFold;
}

const TAKEN_OVER = "the state lock was taken over while this hook held it";

export function createFileStore(options: FileStoreOptions = {}): StateStore {
  const layout: StateLayout =
    options.layout ?? (options.dir !== undefined ? { dir: options.dir } : resolveStateLayout(options));
  const dir = layout.dir;
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
    const { result, journal } = applyUpdate(draft, update, now());
    if (journal) current.journal.push(...journal);
    current.state = draft;
    return result;
  };

  const store: StateStore = {
    kind: "file",
    warnings,
    read: async () => {
      if (held) return structuredClone(held.state);
      if (!verifyStateDir(layout)) return createEmptyState();
      const snapshot = readStateFile(dir);
      if (!snapshot.damage) return withQueued(dir, snapshot.state, warnings, now(), options.inbox);
      // Damage seen by a reader is repaired at once, so what the journal can recover is owed again now.
      try {
        await store.transact(() => undefined);
      } catch (error) {
        warnings.push(
          `bg-notify: state.json is damaged (${snapshot.damage}) and could not be repaired: ${describeError(error)}`,
        );
        return snapshot.state;
      }
      return withQueued(dir, readStateFile(dir).state, warnings, now(), options.inbox);
    },
    transact: async (update) => {
      if (closed) throw new BgNotifyError("ESTATE", "this hook has already finished with the state");
      if (held) return applyHeld(held, update);
      return runTransaction(layout, update, txOptions, holding ? offerHold : undefined);
    },
    appendEvent: (record) => {
      try {
        appendEventLine(layout, record);
      } catch (error) {
        if (isBgNotifyError(error, "EUNSAFE")) throw error;
        // The event log is a record for people and recovery, never a reason to fail a delivery.
        warnings.push(`bg-notify: cannot append to ${join(dir, EVENTS_FILE)}: ${fsReason(error)}`);
      }
    },
    holdClaims: () => {
      holding = true;
    },
    commitHeld: () => {
      const current = held;
      if (!current) return { ok: true, committed: false };
      held = undefined;
      closed = true;
      try {
        // Overtaken after the rename is still committed: the claim stands, and what a successor wrote
        // meanwhile is put back by the next load (journal.ts, replayLostCommits).
        if (
          !current.lock.stillOurs() ||
          commit(dir, current.state, current.journal, current.lock, warnings) === "not-ours"
        )
          return { ok: false, committed: false, reason: TAKEN_OVER };
        removeQueued(dir, current.queued, warnings);
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
    tidy: () => {
      if (verifyStateDir(layout)) removeFolded(dir, warnings);
    },
  };
  return store;
}
