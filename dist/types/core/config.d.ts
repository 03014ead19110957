import * as z from "zod/mini";
import type { BgNotifyConfig } from "./types.js";
export declare const DEFAULT_CONFIG: Readonly<BgNotifyConfig>;
declare function buildFileSchema(): z.ZodMiniObject<{
    $schema: z.ZodMiniOptional<z.ZodMiniString<string>>;
    batchWindowMs: z.ZodMiniOptional<z.ZodMiniInt>;
    maxBatchSize: z.ZodMiniOptional<z.ZodMiniInt>;
    mode: z.ZodMiniOptional<z.ZodMiniEnum<{
        coalesce: "coalesce";
        summarize: "summarize";
        off: "off";
    }>>;
    concurrency: z.ZodMiniOptional<z.ZodMiniEnum<{
        off: "off";
        warn: "warn";
        enforce: "enforce";
    }>>;
    modelConcurrency: z.ZodMiniOptional<z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniInt>>;
    defaultConcurrency: z.ZodMiniOptional<z.ZodMiniInt>;
    staleTimeoutMs: z.ZodMiniOptional<z.ZodMiniInt>;
    reconcileGraceMs: z.ZodMiniOptional<z.ZodMiniInt>;
    taskTtlMs: z.ZodMiniOptional<z.ZodMiniInt>;
    deliveredTtlMs: z.ZodMiniOptional<z.ZodMiniInt>;
    resultExcerptChars: z.ZodMiniOptional<z.ZodMiniInt>;
}, z.core.$strict>;
/** The zod schema of the config file, the reference for `isPlainlyValidFile` (test/core/plain-checks.test.ts). */
export declare function fileSchema(): ReturnType<typeof buildFileSchema>;
export declare const CONFIG_FILE_NAME = "bg-notify.json";
export interface ConfigResult {
    config: BgNotifyConfig;
    warnings: string[];
}
/** `fileText` is the config file's content, or undefined when there is none. */
export declare function resolveConfig(fileText: string | undefined, env: NodeJS.ProcessEnv, filePath?: string): ConfigResult;
export {};
