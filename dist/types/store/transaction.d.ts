import type { BgState } from "../core/types.js";
import { type JournalEntry } from "./journal.js";
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
 * Journal first, then the state; false if the lock is no longer ours (nothing written). The journal only
 * matters once state.json is damaged, so a failed append does not stop the commit; it is reported only
 * when the commit itself goes through (a full disk fails both, and one line about the commit is enough).
 */
export declare function commit(dir: string, state: BgState, journal: readonly JournalEntry[], lock: HeldLock, warnings: string[]): boolean;
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
export declare function readState(location: string | StateLayout, warnings?: string[]): BgState;
/** A snapshot as the next transaction will see it: with the launches hooks/run queued since. */
export declare function withQueued(dir: string, state: BgState, warnings: string[], now?: number): BgState;
