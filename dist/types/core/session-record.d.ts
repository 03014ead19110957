import type { BgState, EventRecord } from "./types.js";
export declare const SESSION_KEY_PREFIX = "session:";
/** What one session of the module layer keeps under `session:<id>`. */
export interface SessionRecord {
    version: 1;
    /** The project directory the session ran in. */
    project: string;
    /** Which layer held this session's notices, and why (doctor, status). */
    layer: {
        name: "module" | "hooks";
        why: string;
    };
    updatedAt: number;
    state: BgState;
    events: EventRecord[];
}
export declare function isRecordShape(value: unknown): value is SessionRecord;
