import * as z from "zod/mini";
import type { BatchLimits } from "./batching.js";
import type { BgNotifyConfig } from "./types.js";
/**
 * The rewake that times a held batch waits at most REWAKE_MAX_WAIT_MS (90 s, under its 110 s hook
 * timeout): a longer hold could outlast every process able to wake an idle parent.
 */
export declare const MAX_HOLD_MS = 90000;
export declare const DEFAULT_CONFIG: Readonly<BgNotifyConfig>;
/** A budget the state keeps the wake-ups for (core/state.ts WAKES_KEEP, WAKES_TTL_MS). */
export declare const WAKE_BUDGET_MAX: {
    readonly wakes: 100;
    readonly perMinutes: number;
};
declare function buildFileSchema(): z.ZodMiniObject<{
    $schema: z.ZodMiniOptional<z.ZodMiniString<string>>;
    batchWindowMs: z.ZodMiniOptional<z.ZodMiniInt>;
    maxBatchSize: z.ZodMiniOptional<z.ZodMiniInt>;
    mode: z.ZodMiniOptional<z.ZodMiniEnum<{
        summarize: "summarize";
        coalesce: "coalesce";
        off: "off";
    }>>;
    layer: z.ZodMiniOptional<z.ZodMiniEnum<{
        auto: "auto";
        hooks: "hooks";
    }>>;
    policy: z.ZodMiniOptional<z.ZodMiniEnum<{
        window: "window";
        defer: "defer";
    }>>;
    wakeBudget: z.ZodMiniOptional<z.ZodMiniObject<{
        wakes: z.ZodMiniInt;
        perMinutes: z.ZodMiniInt;
    }, z.core.$strict>>;
    concurrency: z.ZodMiniOptional<z.ZodMiniEnum<{
        off: "off";
        warn: "warn";
        enforce: "enforce";
    }>>;
    waitForSiblings: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    notifyAllDone: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    maxHoldMs: z.ZodMiniOptional<z.ZodMiniInt>;
    wakeOnFailure: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    modelConcurrency: z.ZodMiniOptional<z.ZodMiniRecord<z.ZodMiniString<string>, z.ZodMiniInt>>;
    defaultConcurrency: z.ZodMiniOptional<z.ZodMiniInt>;
    staleTimeoutMs: z.ZodMiniOptional<z.ZodMiniInt>;
    reconcileGraceMs: z.ZodMiniOptional<z.ZodMiniInt>;
    taskTtlMs: z.ZodMiniOptional<z.ZodMiniInt>;
    deliveredTtlMs: z.ZodMiniOptional<z.ZodMiniInt>;
    owedTtlMs: z.ZodMiniOptional<z.ZodMiniInt>;
    resultExcerptChars: z.ZodMiniOptional<z.ZodMiniInt>;
}, z.core.$strict>;
/** The zod schema of the config file, the reference for `isPlainlyValidFile` (test/core/plain-checks.test.ts). */
export declare function fileSchema(): ReturnType<typeof buildFileSchema>;
export declare const CONFIG_FILE_NAME = "bg-notify.json";
export interface ConfigResult {
    config: BgNotifyConfig;
    warnings: string[];
}
/**
 * A config file that cannot be used may have asked for off: in doubt, every notice passes natively
 * (mode off) until it is fixed, unless BG_NOTIFY_MODE names a mode. The line says so.
 */
export declare function unusableConfig(filePath: string, problem: string): string;
/**
 * `fileText` is the config file's content, undefined when there is none, or why a file that is there
 * could not be read.
 */
export declare function resolveConfig(fileText: string | undefined | {
    unreadable: string;
}, env: NodeJS.ProcessEnv, filePath?: string): ConfigResult;
/** The batching rule a configuration asks for (the window, the size, and the hold if opted in). */
export declare function limitsFrom(config: BgNotifyConfig): BatchLimits;
export {};
