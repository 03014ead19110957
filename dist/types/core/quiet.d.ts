import type { BgState } from "./types.js";
export interface Quietness {
    /** No batch waits to be told, and none told by an acknowledged route waits to be seen received. */
    nothingOwed: boolean;
    /** No task of any parent is pending or running. */
    nothingRunning: boolean;
}
export declare function quietnessOf(state: BgState): Quietness;
