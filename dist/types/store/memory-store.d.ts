import type { BgState } from "../core/types.js";
import type { EventRecord, StateStore } from "./types.js";
export interface MemoryStore extends StateStore {
    readonly events: EventRecord[];
}
export declare function createMemoryStore(initial?: BgState, maxEvents?: number): MemoryStore;
