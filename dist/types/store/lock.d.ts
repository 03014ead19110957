/**
 * A lock whose stamp is further than this from now, either way, is stale: its holder died (or the clock
 * was stepped back past it). A live holder refreshes its stamp every LOCK_UPDATE_MS.
 */
export declare const LOCK_STALE_MS = 2000;
export declare const LOCK_UPDATE_MS = 1000;
export interface LockHealth {
    path: string;
    present: boolean;
    /** Since its stamp; negative when the stamp is in the future. */
    ageMs?: number;
    stale?: boolean;
    /** Why no hook can take it (a link, a file, a directory with files in it): the fix is to remove it. */
    foreign?: string;
}
/** How the lock looks from outside, without taking it (status, doctor). */
export declare function lockHealth(stateDir: string, now: number): LockHealth;
export interface LockOptions {
    /** At least LOCK_STALE_MS: a killed holder is taken over this long after its last refresh. */
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
/** How long a transaction waits for the lock by default: under every hook's deadline, over the stale time. */
export declare const LOCK_WAIT_BUDGET_MS = 6000;
/**
 * Takes the lock with proper-lockfile's synchronous calls, retrying on our own timer: no libuv
 * thread-pool work happens, so process exit does not wait to join the pool, and the time between a
 * commit and the exit of the process that printed it stays as short as can be.
 */
export declare function acquireLock(dir: string, options: LockOptions): Promise<HeldLock>;
