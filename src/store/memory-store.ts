// The in-memory store for long-lived processes (Agent SDK apps, tests): same interface and the same
// pure updates as the file store, with the events kept in a bounded array.
import { createEmptyState } from "../core/state.js";
import type { BgState } from "../core/types.js";
import type { EventRecord, StateStore } from "./types.js";

export interface MemoryStore extends StateStore {
  readonly events: EventRecord[];
}

export function createMemoryStore(initial: BgState = createEmptyState(), maxEvents = 10_000): MemoryStore {
  let state = structuredClone(initial);
  const events: EventRecord[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: "memory",
    warnings: [],
    events,
    read: async () => structuredClone(state),
    // Serialised like the file lock, and atomic: a throwing update leaves the state untouched.
    transact<T>(update: (s: BgState) => T): Promise<T> {
      const run = queue.then(() => {
        const draft = structuredClone(state);
        const result = update(draft);
        state = draft;
        return result;
      });
      queue = run.catch(() => {});
      return run;
    },
    appendEvent(record) {
      events.push(record);
      if (events.length > maxEvents) events.splice(0, events.length - maxEvents);
    },
  };
}
