// The state lock (proper-lockfile, a directory beside state.json): taken with synchronous calls and our
// own retry timer, guarded so that a process never removes a lock another process has taken over.
import fs, { statSync } from "node:fs";
import { join, resolve } from "node:path";
import lockfile from "proper-lockfile";
import { BgNotifyError } from "../core/errors.js";
import { fsReason } from "./files.js";
import { LOCK_DIR, STATE_FILE } from "./paths.js";

/**
 * proper-lockfile's minimum staleness: a killed holder's lock is taken over this long after its last
 * heartbeat (a live holder refreshes it every second), so an older lock belongs to a dead or stalled process.
 */
export const LOCK_STALE_MS = 2000;

export interface LockHealth {
  path: string;
  present: boolean;
  ageMs?: number;
  stale?: boolean;
}

/** How the lock looks from outside, without taking it (status, doctor). */
export function lockHealth(stateDir: string, now: number): LockHealth {
  const path = join(stateDir, LOCK_DIR);
  try {
    const ageMs = Math.max(0, now - statSync(path).mtimeMs);
    return { path, present: true, ageMs, stale: ageMs > LOCK_STALE_MS };
  } catch {
    return { path, present: false };
  }
}

export interface LockOptions {
  /** proper-lockfile's minimum: a killed holder is taken over this long after its last heartbeat. */
  staleMs?: number;
  /** How many times to retry a held lock; 0 fails at once (SessionEnd's 1.5 s budget). Default: up to 6 s. */
  retries?: number;
}

interface LockIdentity {
  ino: number;
  birthtimeMs: number;
}

function lockIdentity(path: string): LockIdentity | undefined {
  try {
    const s = statSync(path);
    return { ino: s.ino, birthtimeMs: s.birthtimeMs };
  } catch {
    return undefined;
  }
}

function sameIdentity(a: LockIdentity | undefined, b: LockIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.ino === b.ino && a.birthtimeMs === b.birthtimeMs;
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
const LOCK_WAIT_BUDGET_MS = 6000;

/**
 * Takes the lock with proper-lockfile's synchronous calls (its heartbeat too), retrying on our own timer.
 * No libuv thread-pool work happens, so the pool is never started and process exit does not wait to join
 * it: the time between a commit and the exit of the process that printed it stays as short as can be.
 */
export async function acquireLock(dir: string, options: LockOptions): Promise<HeldLock> {
  const statePath = join(dir, STATE_FILE);
  const lockPath = join(dir, LOCK_DIR);
  let compromised = false;
  let identity: LockIdentity | undefined;
  // proper-lockfile removes "its" lock directory on release and at process exit. After a stale takeover
  // that directory is the new holder's; removing it would let a third process in. Only ours is removed.
  const mayRemove = (path: unknown) =>
    identity === undefined ||
    resolve(String(path)) !== lockPath ||
    sameIdentity(lockIdentity(lockPath), identity);
  // Only what proper-lockfile calls (mkdir, realpath, stat, utimes, rmdir and their Sync forms): spreading
  // all of node:fs would load its stream classes, several ms of every locking hook (docs/PERFORMANCE.md).
  const staleMs = Math.max(options.staleMs ?? LOCK_STALE_MS, LOCK_STALE_MS);
  const guardedFs = {
    mkdir: fs.mkdir,
    mkdirSync: fs.mkdirSync,
    realpath: fs.realpath,
    realpathSync: fs.realpathSync,
    stat: fs.stat,
    statSync: fs.statSync,
    utimes: fs.utimes,
    rmdir: fs.rmdir,
    rmdirSync: (path: fs.PathLike) => {
      if (!mayRemove(path)) return;
      // Removing a stale lock: proper-lockfile decided it was stale from an earlier stat. Two waiters
      // that both saw a killed holder's lock go stale would otherwise both remove "it" — the second
      // removing the lock the first had just taken — and both would hold the lock. Look again: a lock
      // that is fresh now is someone's, and the retry will find it held.
      if (identity === undefined && resolve(String(path)) === lockPath) {
        try {
          if (fs.statSync(path).mtimeMs >= Date.now() - staleMs) return;
        } catch {
          return;
        }
      }
      fs.rmdirSync(path);
    },
    // A new lock's mtime is set to the next whole second (+5 ms) to probe the file system's precision,
    // and every hook is a new process that probes again: a holder killed at once would then be waited
    // for up to 3 s instead of 2. The lock's mtime is never set in the future; a millisecond part of 0
    // is avoided so that the probe still reads millisecond precision.
    utimesSync: (path: fs.PathLike, atime: fs.TimeLike, mtime: fs.TimeLike) => {
      if (resolve(String(path)) === lockPath && new Date(mtime).getTime() > Date.now()) {
        let now = Date.now();
        if (now % 1000 === 0) now++;
        fs.utimesSync(path, new Date(now), new Date(now));
      } else fs.utimesSync(path, atime, mtime);
    },
  };
  const lockOptions = { realpath: false, lockfilePath: lockPath, fs: guardedFs };
  const started = Date.now();
  let release: () => void;
  for (let attempt = 0; ; attempt++) {
    try {
      release = lockfile.lockSync(statePath, {
        ...lockOptions,
        stale: staleMs,
        update: 1000,
        onCompromised: () => {
          compromised = true;
        },
      });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const mayWait =
        options.retries === undefined
          ? Date.now() - started < LOCK_WAIT_BUDGET_MS
          : attempt < options.retries;
      if (code === "ELOCKED" && mayWait) {
        const wait = Math.min(RETRY_MIN_MS * 1.3 ** attempt, RETRY_MAX_MS) * (1 + Math.random());
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      if (code === "ELOCKED") {
        throw new BgNotifyError("ELOCKED", `state lock ${lockPath} is held by another process`, {
          cause: error,
        });
      }
      throw new BgNotifyError("ESTATE", `cannot lock ${lockPath}: ${fsReason(error)}`, { cause: error });
    }
  }
  identity = lockIdentity(lockPath);
  const stillOurs = () => !compromised && sameIdentity(lockIdentity(lockPath), identity);
  let released = false;
  const releaseSync = () => {
    if (released) return;
    released = true;
    try {
      release();
    } catch {}
  };
  return { stillOurs, release: async () => releaseSync(), releaseSync };
}
