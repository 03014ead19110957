// The hook side of `bg-notify replay --instant`: a virtual clock kept in a file by the replay engine.
// `now()` reads the file; `sleep(ms)` writes its wake-up time to this process's wait file and returns
// when the engine deletes that file (after moving the clock there). See src/replay.ts for the engine.
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";

/** The clock file: one decimal number of milliseconds, replaced atomically by the engine. */
export const CLOCK_FILE_ENV = "BG_NOTIFY_CLOCK_FILE";
/** This process's own wait file: present (holding the wake-up time) while it sleeps. */
export const CLOCK_WAIT_FILE_ENV = "BG_NOTIFY_CLOCK_WAIT_FILE";

const POLL_MS = 2;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function readClockFile(file: string): number | undefined {
  try {
    const value = Number(readFileSync(file, "utf8"));
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Atomic so that a reader never sees half a number. */
export function writeNumberFile(file: string, value: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, String(value));
  renameSync(tmp, file);
}

/** The replay's virtual clock when the environment names one; undefined in normal use. */
export function clockFromEnv(env: NodeJS.ProcessEnv): Clock | undefined {
  const file = env[CLOCK_FILE_ENV];
  if (!file) return undefined;
  const waitFile = env[CLOCK_WAIT_FILE_ENV];
  let last = readClockFile(file) ?? Date.now();
  // If the engine goes away (killed replay), time runs on in real time so no sleep can spin or hang.
  let lostAt: number | undefined;
  const now = () => {
    if (lostAt === undefined) {
      const value = readClockFile(file);
      if (value !== undefined) {
        last = value;
        return value;
      }
      lostAt = Date.now();
    }
    return last + (Date.now() - lostAt);
  };
  const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
  const sleep = async (ms: number) => {
    if (!(ms > 0)) return;
    const target = now() + ms;
    if (waitFile) writeNumberFile(waitFile, target);
    for (;;) {
      if (lostAt !== undefined || !existsSync(file)) {
        if (waitFile) {
          try {
            unlinkSync(waitFile);
          } catch {}
        }
        now();
        return realSleep(target - now());
      }
      const released = waitFile ? !existsSync(waitFile) : now() >= target;
      if (released) return;
      await realSleep(POLL_MS);
    }
  };
  return { now, sleep };
}
