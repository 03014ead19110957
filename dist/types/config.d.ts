import type { BgNotifyConfig } from "./types.js";
export declare const DEFAULT_CONFIG: Readonly<BgNotifyConfig>;
export declare const CONFIG_FILE_NAME = "bg-notify.json";
export interface ConfigResult {
    config: BgNotifyConfig;
    warnings: string[];
}
/** `fileText` is the config file's content, or undefined when there is none. */
export declare function resolveConfig(fileText: string | undefined, env: NodeJS.ProcessEnv, filePath?: string): ConfigResult;
