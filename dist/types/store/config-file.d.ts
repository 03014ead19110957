import { type ConfigResult } from "../core/config.js";
import { type StateDirOptions } from "./paths.js";
export declare function loadConfig(options?: StateDirOptions): ConfigResult;
