import { type ConfigResult } from "../core/config.js";
import type { Mode } from "../core/types.js";
import { type StateDirOptions } from "./paths.js";
export declare function loadConfig(options?: StateDirOptions): ConfigResult;
/**
 * Sets `mode` in the project's config file, keeping its other keys: into a real `.claude` of the user's,
 * never through a link (the store's rule). A file that does not parse is left alone. Returns its path.
 */
export declare function writeConfigMode(options: StateDirOptions, mode: Mode): string;
