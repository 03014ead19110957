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
  /**
   * `transact` without waiting for the write: for what costs nothing if lost (a launch: the listing at
   * Stop and the notice tell it again), never for a record a held notice depends on.
   */
  soon<T>(update: (s: BgState) => T): Promise<T>;
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
  const write = async () => {
    current.updatedAt = init.now();
    current.state.updatedAt = current.updatedAt;
    if (exceedsRetention(current.state)) pruneState(current.state, current.updatedAt, init.retention);
    await kv.set(key, current);
  };
  // One write at a time, each of the record as it stands when it starts: changes made meanwhile go in
  // the next, so a burst of changes costs a few writes of the engine's store file, not one each.
  let writing: Promise<void> | undefined;
  let dirty = false;
  const persist = (): Promise<void> => {
    dirty = true;
    writing ??= (async () => {
      try {
        while (dirty) {
          dirty = false;
          await write();
        }
      } finally {
        writing = undefined;
      }
    })();
    return writing;
  };
  // One session's hooks run in one environment, but interleave at every await: serialised like the lock.
  const apply = <T>(update: (s: BgState) => T, durable: boolean): Promise<T> => {
    const run = queue.then(async () => {
      const draft = structuredClone(current.state);
      const result = update(draft);
      current.state = draft;
      if (durable) await persist();
      else void persist().catch(() => {});
      return result;
    });
    queue = run.catch(() => {});
    return run;
  };
  return {
    kind: "module",
    warnings,
    record: current,
    read: async () => structuredClone(current.state),
    transact: (update) => apply(update, true),
    soon: (update) => apply(update, false),
    appendEvent(event) {
      current.events.push(event);
      if (current.events.length > SESSION_EVENTS_KEPT)
        current.events.splice(0, current.events.length - SESSION_EVENTS_KEPT);
      void persist().catch(() => {});
    },
    save: persist,
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
