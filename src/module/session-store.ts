// One session's state and event log for the module layer, kept in the plugin's `$.store` under the
// session's id: the same pure updates as the file store, committed whole after each transaction.

import { isRecordShape, SESSION_KEY_PREFIX, type SessionRecord } from "../core/session-record.js";
import { createEmptyState, exceedsRetention, parseState, pruneState } from "../core/state.js";
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
export const SESSION_EVENTS_KEPT = 200;
/** Sessions kept in `$.store`, newest first: it is one file of at most 4 MiB for every session of every project. */
export const SESSIONS_KEPT = 40;

export interface SessionStore extends StateStore {
  readonly record: SessionRecord;
  /** Writes the record now (a transaction does so itself). */
  save(): Promise<void>;
}

/** Loads a session's record, or starts one; a record that does not parse starts over, and says so. */
export async function openSessionStore(
  kv: KeyValueStore,
  sessionId: string,
  init: { project: string; layer: SessionRecord["layer"]; now: () => number; retention: RetentionConfig },
): Promise<SessionStore> {
  const key = SESSION_KEY_PREFIX + sessionId;
  const warnings: string[] = [];
  const stored = await kv.get(key);
  let record: SessionRecord | undefined;
  if (isRecordShape(stored)) {
    const parsed = parseState(stored.state);
    if (parsed.ok)
      record = { ...stored, state: parsed.state, events: stored.events.slice(-SESSION_EVENTS_KEPT) };
    else
      warnings.push(`bg-notify: this session's kept state was unusable (${parsed.reason}); started afresh`);
  }
  record ??= {
    version: 1,
    project: init.project,
    layer: init.layer,
    updatedAt: init.now(),
    state: createEmptyState(init.now()),
    events: [],
  };
  record.layer = init.layer;
  const current = record;
  let queue: Promise<unknown> = Promise.resolve();
  const save = async () => {
    current.updatedAt = init.now();
    current.state.updatedAt = current.updatedAt;
    if (exceedsRetention(current.state)) pruneState(current.state, current.updatedAt, init.retention);
    await kv.set(key, current);
  };
  return {
    kind: "module",
    warnings,
    record: current,
    read: async () => structuredClone(current.state),
    // One session's hooks run in one environment, but interleave at every await: serialised like the lock.
    transact<T>(update: (s: BgState) => T): Promise<T> {
      const run = queue.then(async () => {
        const draft = structuredClone(current.state);
        const result = update(draft);
        current.state = draft;
        await save();
        return result;
      });
      queue = run.catch(() => {});
      return run;
    },
    appendEvent(event) {
      current.events.push(event);
      if (current.events.length > SESSION_EVENTS_KEPT)
        current.events.splice(0, current.events.length - SESSION_EVENTS_KEPT);
      // Events follow their transaction's commit; written in the same queue, so in order.
      const run = queue.then(save);
      queue = run.catch(() => {});
    },
    save,
  };
}

export type RetentionConfig = Pick<BgNotifyConfig, "taskTtlMs" | "deliveredTtlMs" | "owedTtlMs">;

/** Drops the records of all but the SESSIONS_KEPT most recent sessions. */
export async function forgetOldSessions(kv: KeyValueStore, keep = SESSIONS_KEPT): Promise<number> {
  const keys = (await kv.keys()).filter((k) => k.startsWith(SESSION_KEY_PREFIX));
  if (keys.length <= keep) return 0;
  const dated: { key: string; at: number }[] = [];
  for (const key of keys) {
    const value = await kv.get(key);
    dated.push({ key, at: isRecordShape(value) ? value.updatedAt : 0 });
  }
  dated.sort((a, b) => b.at - a.at);
  const old = dated.slice(keep);
  for (const { key } of old) await kv.delete(key);
  return old.length;
}
