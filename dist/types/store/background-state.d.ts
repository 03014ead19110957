import type { BgState } from "../core/types.js";
export declare function loadBackgroundState(dir?: string, warnings?: string[]): BgState;
export declare function saveBackgroundState(state: BgState, dir?: string): Promise<void>;
export declare function clearBackgroundState(dir?: string): Promise<void>;
