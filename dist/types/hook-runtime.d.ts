import { type HookContextOptions, type HookHandler } from "./hook-context.js";
export interface HookRun {
    stdout: string;
    stderr: string;
    exitCode: 0 | 2;
}
export declare function readStdin(stream?: NodeJS.ReadableStream, max?: number): Promise<string>;
export interface RunHookOptions extends HookContextOptions {
    /** Give up (exit 0, event passes untouched) after this long. */
    deadlineMs?: number;
}
export declare function runHook(event: string, expected: string | undefined, handler: HookHandler, raw: string, options?: RunHookOptions): Promise<HookRun>;
/** The whole life of a hook process. Entry files call only this. */
export declare function runHookProcess(event: string, expected: string | undefined, handler: HookHandler, options?: RunHookOptions): Promise<void>;
