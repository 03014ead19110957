import { type InboxFold } from "./launch-inbox.js";
import type { LockOptions } from "./lock.js";
import { type StateLayout } from "./paths.js";
import type { EventRecord, StateStore } from "./types.js";
export declare function appendEventLine(location: string | StateLayout, record: EventRecord): void;
export declare function readEventLines(location: string | StateLayout): EventRecord[];
export interface FileStoreOptions extends LockOptions {
    /** The state directory, trusted as given (only what bg-notify makes inside it is checked). */
    dir?: string;
    /** The state directory and the project directories above it that bg-notify made (and checks). */
    layout?: StateLayout;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    now?: () => number;
    /** The plugin's fold of the launcher's queued inputs; without it they stay queued for a hook. */
    inbox?: InboxFold;
}
export declare function createFileStore(options?: FileStoreOptions): StateStore;
