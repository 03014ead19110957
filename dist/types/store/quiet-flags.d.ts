import { type Quietness } from "../core/quiet.js";
import type { BgState } from "../core/types.js";
/** Names hooks/run knows too (scripts/build.mjs writes them into it). */
export declare const QUIET_FLAGS: {
    readonly nothingOwed: "nothing-owed";
    readonly nothingRunning: "nothing-running";
};
type Fact = keyof Quietness;
/** Before the commit of `state`: drop every flag it breaks. Returns what to create after the commit. */
export declare function flagsBeforeCommit(dir: string, state: BgState): Fact[];
export declare function flagsAfterCommit(dir: string, holding: readonly Fact[]): void;
/** A state rebuilt from the logs may say anything: no flag until the next commit sets them. */
export declare function dropAllFlags(dir: string): void;
export {};
