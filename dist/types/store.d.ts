import { type ConfigResult } from "./config.js";
import type { BgState } from "./types.js";
export declare const STATE_FILE = "state.json";
export declare const EVENTS_FILE = "events.jsonl";
/** Write-ahead record of completions recorded and batches claimed: what a damaged state.json is rebuilt from. */
export declare const JOURNAL_FILE = "journal.jsonl";
export declare const LOCK_DIR = "state.lock";
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
export declare function projectDir({ env, cwd }?: StateDirOptions): string;
export declare function resolveStateDir(options?: StateDirOptions): string;
export declare function ensureStateDir(dir: string): void;
export declare function loadConfig(options?: StateDirOptions): ConfigResult;
/**
 * Rebuilds what was owed from the journal and the event log (`background_task_completed` records carry
 * the key and batch id; `background_tasks_notification` marks a batch told): every recorded completion
 * goes back into the ledger, and those whose batch was never claimed are owed again, in their batch.
 */
export declare function recoverFromLogs(dir: string, now: number): {
    state: BgState;
    owed: number;
};
export interface LockOptions {
    /** proper-lockfile's minimum: a killed holder is taken over this long after its last heartbeat. */
    staleMs?: number;
    /** How many times to retry a held lock; 0 fails at once (SessionEnd's 1.5 s budget). Default: up to 6 s. */
    retries?: number;
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
export declare function withLockedState<T>(dir: string, update: (state: BgState) => T, options?: TransactionOptions): Promise<T>;
/** A lock-free read for paths that only look; damage is reported, never repaired, here. */
export declare function readState(dir: string, warnings?: string[]): BgState;
export declare function appendEventLine(dir: string, record: EventRecord): void;
export declare function readEventLines(dir: string): EventRecord[];
export interface FileStoreOptions extends LockOptions {
    dir?: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    now?: () => number;
}
export declare function createFileStore(options?: FileStoreOptions): StateStore;
export declare function loadBackgroundState(dir?: string, warnings?: string[]): BgState;
export declare function saveBackgroundState(state: BgState, dir?: string): Promise<void>;
export declare function clearBackgroundState(dir?: string): Promise<void>;
export declare function stateFilePath(dir: string): string;
