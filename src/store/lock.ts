// The state lock: proper-lockfile's directory lock beside state.json (`state.lock`), stamped and kept
// fresh with the process clock, released on exit and on signals. A holder that may have lost it (its
// stamp is no longer there, or the library reports it compromised) commits nothing.
import * as fs from "node:fs";
import { lstatSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { BgNotifyError } from "../core/errors.js";
import { fsReason } from "./files.js";
import { LOCK_DIR, STATE_FILE } from "./paths.js";
import { checkDirectory, unsafe } from "./safe-fs.js";

/**
 * A lock whose stamp is further than this from now, either way, is stale: its holder died (or the clock
 * was stepped back past it). A live holder refreshes its stamp every LOCK_UPDATE_MS.
 */
export const LOCK_STALE_MS = 2000;
export const LOCK_UPDATE_MS = 1000;

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
export function lockHealth(stateDir: string, now: number): LockHealth {
  const path = join(stateDir, LOCK_DIR);
  let mtimeMs: number;
  try {
    mtimeMs = lstatSync(path).mtimeMs;
  } catch {
    return { path, present: false };
  }
  try {
    checkDirectory(path);
    if (readdirSync(path).length > 0) return { path, present: true, foreign: "a directory with files in it" };
  } catch (error) {
    return { path, present: true, foreign: error instanceof Error ? error.message : String(error) };
  }
  const ageMs = now - mtimeMs;
  return { path, present: true, ageMs, stale: Math.abs(ageMs) > LOCK_STALE_MS };
}

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

const RETRY_MIN_MS = 5;
/** Polling a held lock this often (±100%) lets a waiter in soon after a killed holder's lock goes stale. */
const RETRY_MAX_MS = 50;
/** How long a transaction waits for the lock by default: under every hook's deadline, over the stale time. */
export const LOCK_WAIT_BUDGET_MS = 6000;

/**
 * proper-lockfile stamps a lock with `utimes`; this fs notes the stamp as the file system keeps it (whole
 * seconds on some), to know the lock as ours.
 */
function stampingFs(lockPath: string, onStamp: (ms: number) => void): typeof fs {
  return {
    ...LOCK_FS,
    utimesSync: (path: fs.PathLike, atime: fs.TimeLike, mtime: fs.TimeLike) => {
      fs.utimesSync(path, atime, mtime);
      if (path === lockPath) onStamp(lstatSync(lockPath).mtime.getTime());
    },
  };
}

/**
 * The calls proper-lockfile makes, as a plain object: it copies the fs it is given with a spread, and
 * spreading node:fs runs its lazy getters, which load the stream classes (3.4 ms of a hook's 40 ms).
 */
const LOCK_FS = {
  mkdir: fs.mkdir,
  mkdirSync: fs.mkdirSync,
  realpath: fs.realpath,
  realpathSync: fs.realpathSync,
  stat: fs.stat,
  statSync: fs.statSync,
  rmdir: fs.rmdir,
  rmdirSync: fs.rmdirSync,
  utimes: fs.utimes,
  utimesSync: fs.utimesSync,
} as unknown as typeof fs;

/** Unlocking with this fs forgets a lock without removing the directory: it is another holder's now. */
const forgettingFs = { ...LOCK_FS, rmdirSync: () => undefined } as unknown as typeof fs;

/**
 * A lock stamped further in the future than the stale time (its holder died, then the clock was stepped
 * back) would never go stale for proper-lockfile, which looks one way only: removed like a stale one.
 */
function removeIfFutureDated(lockPath: string, staleMs: number): void {
  let mtimeMs: number;
  try {
    mtimeMs = lstatSync(lockPath).mtimeMs;
  } catch {
    return;
  }
  if (mtimeMs - Date.now() <= staleMs) return;
  checkDirectory(lockPath);
  try {
    rmdirSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function lockError(lockPath: string, error: unknown): Error {
  if (error instanceof BgNotifyError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  // rmdir of a stale lock refuses a directory with files in it: not a lock bg-notify made.
  if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR")
    return unsafe(lockPath, "a directory with files in it, not a lock bg-notify made");
  return new BgNotifyError("ESTATE", `cannot lock ${lockPath}: ${fsReason(error)}`, { cause: error });
}

/**
 * Takes the lock with proper-lockfile's synchronous calls, retrying on our own timer: no libuv
 * thread-pool work happens, so process exit does not wait to join the pool, and the time between a
 * commit and the exit of the process that printed it stays as short as can be.
 */
export async function acquireLock(dir: string, options: LockOptions): Promise<HeldLock> {
  const lockPath = join(dir, LOCK_DIR);
  const target = join(dir, STATE_FILE);
  const staleMs = Math.max(options.staleMs ?? LOCK_STALE_MS, LOCK_STALE_MS);
  const started = Date.now();
  let stamp: number | undefined;
  let compromised = false;
  const lockOptions = {
    lockfilePath: lockPath,
    realpath: false,
    stale: staleMs,
    update: LOCK_UPDATE_MS,
    fs: stampingFs(lockPath, (ms) => {
      stamp = ms;
    }),
    // Nothing is thrown from the library's timer: the transaction that held it aborts at its next look.
    onCompromised: () => {
      compromised = true;
    },
  };
  for (let tries = 0; ; tries++) {
    try {
      if (lstatSync(lockPath, { throwIfNoEntry: false }) !== undefined) {
        checkDirectory(lockPath);
        removeIfFutureDated(lockPath, staleMs);
      }
      lockfile.lockSync(target, lockOptions);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw lockError(lockPath, error);
    }
    const mayWait =
      options.retries === undefined ? Date.now() - started < LOCK_WAIT_BUDGET_MS : tries < options.retries;
    if (!mayWait) throw new BgNotifyError("ELOCKED", `state lock ${lockPath} is held by another process`);
    await new Promise((r) =>
      setTimeout(r, Math.min(RETRY_MIN_MS * 1.3 ** tries, RETRY_MAX_MS) * (1 + Math.random())),
    );
  }
  // Ours while the directory still carries the stamp proper-lockfile last gave it: a successor's lock is
  // stamped anew (seconds later: a lock is only taken over once its stamp is stale), whatever inode or
  // birth time the file system gives it.
  const stillOurs = () => {
    if (compromised || stamp === undefined) return false;
    try {
      return lstatSync(lockPath).mtime.getTime() === stamp;
    } catch {
      return false;
    }
  };
  let released = false;
  const releaseSync = () => {
    if (released) return;
    released = true;
    try {
      // After a takeover the directory is the new holder's: removing it would let a third process in.
      lockfile.unlockSync(target, {
        lockfilePath: lockPath,
        realpath: false,
        fs: stillOurs() ? LOCK_FS : forgettingFs,
      });
    } catch {
      // Already released by the library (compromised): nothing of ours is left to remove.
    }
  };
  return { stillOurs, release: async () => releaseSync(), releaseSync };
}
