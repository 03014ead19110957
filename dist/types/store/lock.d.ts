/**
 * A killed holder's lock is taken over this long after its last heartbeat (a live holder refreshes it
 * every second), so an older lock belongs to a dead or stalled process.
 */
export declare const LOCK_STALE_MS = 2000;
export interface LockHealth {
    path: string;
    present: boolean;
    ageMs?: number;
    stale?: boolean;
    /** Why no hook can take it (a link, a file, a directory with files in it): the fix is to remove it. */
    foreign?: string;
}
/** How the lock looks from outside, without taking it (status, doctor). */
export declare function lockHealth(stateDir: string, now: number): LockHealth;
export interface LockOptions {
    /** At least LOCK_STALE_MS: a killed holder is taken over this long after its last heartbeat. */
    staleMs?: number;
    /** How many times to retry a held lock; 0 fails at once (SessionEnd's 1.5 s budget). Default: up to 6 s. */
    retries?: number;
}
export interface HeldLock {
    /** False once another process may have taken the lock over (we stalled past the stale time). */
    stillOurs(): boolean;
    release(): Promise<void>;
    releaseSync(): void;
}
/**
 * Takes the lock with synchronous calls, retrying on our own timer. No libuv thread-pool work happens,
 * so the pool is never started and process exit does not wait to join it: the time between a commit and
 * the exit of the process that printed it stays as short as can be.
 */
export declare function acquireLock(dir: string, options: LockOptions): Promise<HeldLock>;
