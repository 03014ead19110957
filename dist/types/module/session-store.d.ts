import { type SessionRecord } from "../core/session-record.js";
import type { BgNotifyConfig, BgState } from "../core/types.js";
import type { StateStore } from "../store/types.js";
/** The engine's key-value store as this layer uses it (`$.store`). */
export interface KeyValueStore {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<void>;
    keys(): Promise<string[]>;
}
/** The events each session keeps for `bg-notify events` (the file store keeps a log file instead). */
export declare const SESSION_EVENTS_KEPT = 200;
/** Sessions kept in `$.store`, newest first: it is one file of at most 4 MiB for every session of every project. */
export declare const SESSIONS_KEPT = 40;
export interface SessionStore extends StateStore {
    readonly record: SessionRecord;
    /** Writes the record now (a transaction does so itself). */
    save(): Promise<void>;
    /**
     * `transact` without waiting for the write: for what costs nothing if lost (a launch: the listing at
     * Stop and the notice tell it again), never for a record a held notice depends on.
     */
    soon<T>(update: (s: BgState) => T): Promise<T>;
}
/** Loads a session's record, or starts one; a record that does not parse starts over, and says so. */
export declare function openSessionStore(kv: KeyValueStore, sessionId: string, init: {
    project: string;
    layer: SessionRecord["layer"];
    now: () => number;
    retention: RetentionConfig;
}): Promise<SessionStore>;
export type RetentionConfig = Pick<BgNotifyConfig, "taskTtlMs" | "deliveredTtlMs" | "owedTtlMs">;
/** Drops the records of all but the SESSIONS_KEPT most recent sessions. */
export declare function forgetOldSessions(kv: KeyValueStore, keep?: number): Promise<number>;
