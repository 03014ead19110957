import type { BgState } from "../core/types.js";
import { type JournalEntry } from "./journal.js";
import { type InboxFold } from "./launch-inbox.js";
import { type HeldLock, type LockOptions } from "./lock.js";
import { type StateLayout } from "./paths.js";
/**
 * Pruning keeps state.json near 25 KB; one past this was not written by bg-notify, and reading it would
 * cost every hook (a 20 MB state took 0.36 s per transaction). Treated as damaged.
 */
export declare const STATE_MAX_BYTES: number;
export interface ReadResult {
    state: BgState;
    /** Why the file on disk could not be used, when it could not. */
    damage?: string;
}
export declare function readStateFile(dir: string): ReadResult;
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
 * Runs `update` on `state` in place. When it changed anything, stamps the state and returns the journal
 * lines that record the change; `journal` is undefined when nothing changed (nothing to write).
 */
export declare function applyUpdate<T>(state: BgState, update: (state: BgState) => T, at: number): {
    result: T;
    journal: JournalEntry[] | undefined;
};
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
export declare function commit(dir: string, state: BgState, journal: readonly JournalEntry[], lock: HeldLock, warnings: string[]): CommitOutcome;
export declare function runTransaction<T>(location: string | StateLayout, update: (state: BgState) => T, options: TransactionOptions, 
/** Offered a claiming transaction; returns true to keep it open (it then owns the lock). */
hold?: (held: Held) => boolean): Promise<T>;
/**
 * The one transaction primitive. `update` mutates a private copy of the state and returns a result;
 * the file is rewritten only if the state changed. Updates must be idempotent (stable ids), because a
 * transaction whose lock was taken over mid-way is run again from a fresh read.
 */
export declare function withLockedState<T>(location: string | StateLayout, update: (state: BgState) => T, options?: TransactionOptions): Promise<T>;
/** A lock-free read for paths that only look; damage is reported, never repaired, here. */
export declare function readState(location: string | StateLayout, warnings?: string[], inbox?: InboxFold): BgState;
/** A snapshot as the next transaction will see it: with the inputs hooks/run queued since. */
export declare function withQueued(dir: string, state: BgState, warnings: string[], now: number, inbox: InboxFold | undefined): BgState;
