/** An fs error as one line: Node's message already starts with its code ("ENOSPC: no space left…"). */
export declare function fsReason(error: unknown): string;
/**
 * Writes `text` to a fresh temp file beside `name`; the caller renames it into place. No fsync: the
 * rename is atomic for every process, whichever is killed when (what the store promises), and an fsync
 * (0.5–2 ms on ext4, more on NTFS) on every writing hook would only guard against a power loss, which
 * the journal (appended without one) does not survive either; a state.json a crash left damaged is
 * rebuilt from what the logs still hold (transaction.ts).
 */
export declare function writeTemp(dir: string, name: string, text: string): string;
export declare function removeQuietly(path: string): void;
export declare function renameIntoPlace(tmp: string, dir: string, name: string): void;
/** Temp files left by a writer killed between open and rename. Only called while holding the lock. */
export declare function removeOrphanedTempFiles(dir: string, now: number): void;
/** Moves a log past 1 MB to `<name>.1` (replacing the previous one). A rename moves a link itself. */
export declare function rotateLog(dir: string, name: string): void;
/** Appends lines to a log, rotating it first once it passes 1 MB. */
export declare function appendLog(dir: string, name: string, lines: readonly string[]): void;
export declare function readLog(dir: string, name: string): unknown[];
