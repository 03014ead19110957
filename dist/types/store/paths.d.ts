export declare const STATE_FILE = "state.json";
export declare const EVENTS_FILE = "events.jsonl";
/** Write-ahead record of completions recorded and batches claimed: what a damaged state.json is rebuilt from. */
export declare const JOURNAL_FILE = "journal.jsonl";
export declare const LOCK_DIR = "state.lock";
/** Where hooks/run queues background shells' launches (store/launch-inbox.ts; hooks/run knows it too). */
export declare const INBOX_DIR = "inbox";
/**
 * Inbox entries already folded into a committed state, moved out of the inbox (a rename: removing a file
 * whose blocks are allocated costs 0.1–0.3 ms on ext4, inside the lock) until a hook off the user's path
 * removes them.
 */
export declare const FOLDED_DIR = "folded";
export declare function stateFilePath(dir: string): string;
export interface StateDirOptions {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
}
export declare function projectDir({ env, cwd }?: StateDirOptions): string;
export declare function resolveStateDir(options?: StateDirOptions): string;
/** Keeps the state directory out of git (hooks/run writes the same when it makes the directory). */
export declare const GITIGNORE = "*\n";
export declare function ensureStateDir(dir: string): void;
