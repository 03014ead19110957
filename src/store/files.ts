// Atomic files and append-only logs: temp file + rename, rotation at 1 MB, tolerant reads.
import { randomBytes } from "node:crypto";
import { lstatSync, readdirSync, renameSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { BgNotifyError, describeError, isBgNotifyError } from "../core/errors.js";
import { appendOwnFile, createOwnFile, readOwnFile } from "./safe-fs.js";

const LOG_MAX_BYTES = 1024 * 1024;
/** A log is rotated past LOG_MAX_BYTES; one much larger was not written by bg-notify alone. */
const LOG_READ_MAX_BYTES = 8 * LOG_MAX_BYTES;
const ORPHAN_TMP_AGE_MS = 10_000;

/** An fs error as one line: Node's message already starts with its code ("ENOSPC: no space left…"). */
export function fsReason(error: unknown): string {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string"
    ? error.message.replace(/\s+/g, " ").slice(0, 300)
    : describeError(error);
}

/**
 * Writes `text` to a fresh temp file beside `name`; the caller renames it into place. No fsync: the
 * rename is atomic for every process, whichever is killed when (what the store promises), and an fsync
 * (0.5–2 ms on ext4, more on NTFS) on every writing hook would only guard against a power loss, which
 * the journal (appended without one) does not survive either; a state.json a crash left damaged is
 * rebuilt from what the logs still hold (transaction.ts).
 */
export function writeTemp(dir: string, name: string, text: string): string {
  const tmp = join(dir, `${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    createOwnFile(tmp, text);
  } catch (error) {
    removeQuietly(tmp);
    throw new BgNotifyError("ESTATE", `cannot write ${join(dir, name)}: ${fsReason(error)}`, {
      cause: error,
    });
  }
  return tmp;
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {}
}

export function renameIntoPlace(tmp: string, dir: string, name: string): void {
  try {
    renameSync(tmp, join(dir, name));
  } catch (error) {
    removeQuietly(tmp);
    throw new BgNotifyError("ESTATE", `cannot replace ${join(dir, name)}: ${fsReason(error)}`, {
      cause: error,
    });
  }
}

/** Temp files left by a writer killed between open and rename. Only called while holding the lock. */
export function removeOrphanedTempFiles(dir: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".tmp")) continue;
    try {
      const st = lstatSync(join(dir, name));
      if (st.isFile() && now - st.mtimeMs > ORPHAN_TMP_AGE_MS) unlinkSync(join(dir, name));
    } catch {}
  }
}

/** Moves a log past 1 MB to `<name>.1` (replacing the previous one). A rename moves a link itself. */
export function rotateLog(dir: string, name: string): void {
  const path = join(dir, name);
  try {
    if ((lstatSync(path, { throwIfNoEntry: false })?.size ?? 0) > LOG_MAX_BYTES)
      renameSync(path, join(dir, name.replace(/\.jsonl$/, ".1.jsonl")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Appends lines to a log, rotating it first once it passes 1 MB. */
export function appendLog(dir: string, name: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  rotateLog(dir, name);
  appendOwnFile(join(dir, name), `${lines.join("\n")}\n`);
}

export function readLog(dir: string, name: string): unknown[] {
  const records: unknown[] = [];
  for (const file of [name.replace(/\.jsonl$/, ".1.jsonl"), name]) {
    let text: string;
    try {
      const read = readOwnFile(join(dir, file), LOG_READ_MAX_BYTES);
      if (!read) continue;
      text = read.text;
    } catch (error) {
      // A planted log is not read, and not passed over in silence either.
      if (isBgNotifyError(error, "EUNSAFE")) throw error;
      continue;
    }
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line));
      } catch {
        // a line cut short by a kill mid-append; the rest of the log still counts
      }
    }
  }
  return records;
}
