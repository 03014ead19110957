/** The state directory's name inside the project's `.claude`. */
export declare const STATE_DIR_NAME = "bg-notify";
export declare const STATE_FILE = "state.json";
export declare const EVENTS_FILE = "events.jsonl";
/** Write-ahead record of completions recorded and batches claimed: what a damaged state.json is rebuilt from. */
export declare const JOURNAL_FILE = "journal.jsonl";
export declare const LOCK_DIR = "state.lock";
/** Where hooks/run queues background shells' launches (store/launch-inbox.ts). */
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
/**
 * Where the state lives and which directories above it bg-notify made (and so checks): the project's
 * `.claude` and the state directory. A directory the user names (BG_NOTIFY_STATE_DIR, --state-dir) is
 * theirs and trusted as given; only what bg-notify makes inside it is checked.
 */
export interface StateLayout {
    dir: string;
    /** The project's `.claude`, when the state directory is the default one inside it. */
    parent?: string;
}
export declare function resolveStateLayout(options?: StateDirOptions): StateLayout;
/** Keeps the state directory out of git. */
export declare const GITIGNORE = "*\n";
/**
 * Checks the state directory and everything in it that bg-notify uses (once per process): every
 * directory real and the user's own, no link anywhere among its entries. Throws EUNSAFE; false when
 * the state directory does not exist yet.
 */
export declare function verifyStateDir(layout: StateLayout): boolean;
/** Makes the state directory (one checked level at a time, never through a link), with its inbox. */
export declare function ensureStateDir(layout: StateLayout | string): void;
