import type { LockOptions } from "./lock.js";
import type { EventRecord, StateStore } from "./types.js";
export declare function appendEventLine(dir: string, record: EventRecord): void;
export declare function readEventLines(dir: string): EventRecord[];
export interface FileStoreOptions extends LockOptions {
    dir?: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    now?: () => number;
}
export declare function createFileStore(options?: FileStoreOptions): StateStore;
