// The state lock: a directory beside state.json, made atomically (mkdir), kept fresh by its holder (its
// mtime, every second) and taken over once stale; a process only ever removes the directory it made.
import { lstatSync, lutimesSync, mkdirSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { BgNotifyError } from "../core/errors.js";
import { fsReason } from "./files.js";
import { LOCK_DIR } from "./paths.js";
import { checkDirectory, unsafe } from "./safe-fs.js";

/**
 * A killed holder's lock is taken over this long after its last heartbeat (a live holder refreshes it
 * every second), so an older lock belongs to a dead or stalled process.
 */
export const LOCK_STALE_MS = 2000;
const HEARTBEAT_MS = 1000;
export interface LockHealth {
  path: string;
  present: boolean;
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
    if (!isEmptyDirectory(path)) return { path, present: true, foreign: "a directory with files in it" };
  } catch (error) {
    return { path, present: true, foreign: error instanceof Error ? error.message : String(error) };
  }
  const ageMs = Math.max(0, now - mtimeMs);
  return { path, present: true, ageMs, stale: ageMs > LOCK_STALE_MS };
}

function isEmptyDirectory(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return true;
  }
}

export interface LockOptions {
  /** At least LOCK_STALE_MS: a killed holder is taken over this long after its last heartbeat. */
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
    const s = lstatSync(path);
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
/** A holder stopped by one of these (a hook's timeout) lets the next hook in at once, not when stale. */
const RELEASE_ON: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT", "SIGHUP"];

/** The locks this process holds, released at its exit or on a terminating signal. */
const held = new Set<() => void>();

function releaseAll(): void {
  for (const release of [...held]) release();
}

function onSignal(signal: NodeJS.Signals): void {
  releaseAll();
  // Our listeners are gone with the last lock: unless the program has its own, the default action applies.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function watch(release: () => void): void {
  if (held.size === 0) {
    process.on("exit", releaseAll);
    for (const signal of RELEASE_ON) process.on(signal, onSignal);
  }
  held.add(release);
}

function unwatch(release: () => void): void {
  if (!held.delete(release) || held.size > 0) return;
  process.removeListener("exit", releaseAll);
  for (const signal of RELEASE_ON) process.removeListener(signal, onSignal);
}

type Attempt = { taken: LockIdentity } | { held: true } | { again: true };

/**
 * One try: make the directory; or find it held; or find it stale and remove it (then try again). Before
 * removing a stale lock it is looked at once more: two waiters that both saw a killed holder's lock go
 * stale would otherwise both remove "it", the second removing the lock the first had just made.
 */
function attempt(lockPath: string, staleMs: number): Attempt {
  try {
    mkdirSync(lockPath, 0o700);
    const taken = lockIdentity(lockPath);
    if (taken) return { taken };
    return { again: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const seen = lockIdentity(lockPath);
  if (!seen) return { again: true };
  if (!isStale(lockPath, seen, staleMs)) return { held: true };
  // Only ever a directory of ours is removed, and rmdir removes no link and no directory with files in it.
  checkDirectory(lockPath);
  try {
    rmdirSync(lockPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR")
      throw unsafe(lockPath, "a directory with files in it, not a lock bg-notify made");
    if (code !== "ENOENT") throw error;
  }
  return { again: true };
}

function isStale(lockPath: string, seen: LockIdentity, staleMs: number): boolean {
  try {
    const now = lstatSync(lockPath);
    return now.ino === seen.ino && now.birthtimeMs === seen.birthtimeMs && Date.now() - now.mtimeMs > staleMs;
  } catch {
    return false;
  }
}

/**
 * Takes the lock with synchronous calls, retrying on our own timer. No libuv thread-pool work happens,
 * so the pool is never started and process exit does not wait to join it: the time between a commit and
 * the exit of the process that printed it stays as short as can be.
 */
export async function acquireLock(dir: string, options: LockOptions): Promise<HeldLock> {
  const lockPath = join(dir, LOCK_DIR);
  const staleMs = Math.max(options.staleMs ?? LOCK_STALE_MS, LOCK_STALE_MS);
  const started = Date.now();
  let identity: LockIdentity | undefined;
  for (let tries = 0, spins = 0; identity === undefined; ) {
    if (++spins > 1000) throw new BgNotifyError("ESTATE", `cannot lock ${lockPath}: it keeps vanishing`);
    let result: Attempt;
    try {
      result = attempt(lockPath, staleMs);
    } catch (error) {
      if (error instanceof BgNotifyError) throw error;
      throw new BgNotifyError("ESTATE", `cannot lock ${lockPath}: ${fsReason(error)}`, { cause: error });
    }
    if ("taken" in result) identity = result.taken;
    else if ("held" in result) {
      const mayWait =
        options.retries === undefined ? Date.now() - started < LOCK_WAIT_BUDGET_MS : tries < options.retries;
      if (!mayWait) throw new BgNotifyError("ELOCKED", `state lock ${lockPath} is held by another process`);
      const wait = Math.min(RETRY_MIN_MS * 1.3 ** tries, RETRY_MAX_MS) * (1 + Math.random());
      tries++;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  const ours = identity;
  let compromised = false;
  const stillOurs = () => !compromised && sameIdentity(lockIdentity(lockPath), ours);
  const beat = () => {
    if (!stillOurs()) {
      compromised = true;
      return;
    }
    try {
      const now = new Date();
      lutimesSync(lockPath, now, now);
    } catch {
      compromised = true;
    }
  };
  // No timer can fire inside a synchronous transaction (most are), so the heartbeat starts only once
  // the lock is still held when the event loop turns: node's first timer costs about half a ms.
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const startBeating = setImmediate(() => {
    heartbeat = setInterval(beat, HEARTBEAT_MS);
    heartbeat.unref();
  });
  startBeating.unref();
  let released = false;
  const releaseSync = () => {
    if (released) return;
    released = true;
    clearImmediate(startBeating);
    if (heartbeat) clearInterval(heartbeat);
    unwatch(releaseSync);
    // After a stale takeover the directory is the new holder's: removing it would let a third process in.
    if (!sameIdentity(lockIdentity(lockPath), ours)) return;
    try {
      rmdirSync(lockPath);
    } catch {}
  };
  watch(releaseSync);
  return { stillOurs, release: async () => releaseSync(), releaseSync };
}
