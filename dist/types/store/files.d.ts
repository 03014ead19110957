/** An fs error as one line: Node's message already starts with its code ("ENOSPC: no space left…"). */
export declare function fsReason(error: unknown): string;
/** Writes `text` to a fresh temp file beside `name` and fsyncs it; the caller renames it into place. */
export declare function writeTemp(dir: string, name: string, text: string): string;
export declare function removeQuietly(path: string): void;
export declare function renameIntoPlace(tmp: string, dir: string, name: string): void;
/** Temp files left by a writer killed between open and rename. Only called while holding the lock. */
export declare function removeOrphanedTempFiles(dir: string, now: number): void;
/** Appends lines to a log, moving it to `<name>.1` (replacing the previous one) once it passes 1 MB. */
export declare function appendLog(dir: string, name: string, lines: readonly string[]): void;
export declare function readLog(dir: string, name: string): unknown[];
