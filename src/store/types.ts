// The store's interface, shared by the file store (hooks, CLI), the memory store (long-lived processes)
// and the hooks module's session store (src/module/session-store.ts).
import type { BgState, EventRecord } from "../core/types.js";

export type { EventRecord };

export interface CommitHeldResult {
  ok: boolean;
  /** Whether held changes were written (false when nothing was held). */
  committed: boolean;
  /** Why held changes were not written; they stay undone, so what they claimed is still owed. */
  reason?: string;
}

/** One interface over the file, memory and module session stores. */
export interface StateStore {
  readonly kind: "file" | "memory" | "module";
  /** A lock-free snapshot: safe because writers replace the file atomically. */
  read(): Promise<BgState>;
  /** Runs `update` on a private copy of the current state under the lock and commits what it changed. */
  transact<T>(update: (state: BgState) => T): Promise<T>;
  appendEvent(record: EventRecord): void;
  /** Problems found and survived (a quarantined state file, an unreadable config), for the caller to surface. */
  readonly warnings: string[];
  /**
   * For a hook process: from now on, a transaction that claims a batch keeps the lock and leaves its
   * changes uncommitted (later transactions build on them) until `commitHeld`. The hook prints the batch
   * right after that commit, so a kill can no longer fall between "marked delivered" and "printed".
   */
  holdClaims?(): void;
  /** Commits what is held, synchronously, and releases the lock. Nothing held: `{ok: true, committed: false}`. */
  commitHeld?(): CommitHeldResult;
  /** Drops what is held and releases the lock; any later transaction fails. */
  abandon?(): void;
  /**
   * Removes files the state no longer needs (inbox entries already folded in and moved aside). Slow on
   * some file systems, so a hook calls it only off the user's path.
   */
  tidy?(): void;
}
