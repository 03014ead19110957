import type { EventRecord, StateStore } from "./store.js";
import type { BgState } from "./types.js";
export interface MemoryStore extends StateStore {
    readonly events: EventRecord[];
}
export declare function createMemoryStore(initial?: BgState, maxEvents?: number): MemoryStore;
