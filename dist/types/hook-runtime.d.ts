import { type HookContext, type HookContextOptions, type HookHandler } from "./hook-context.js";
export interface HookRun {
    stdout: string;
    stderr: string;
    exitCode: 0 | 2;
}
export declare function readStdin(stream?: NodeJS.ReadableStream, max?: number): Promise<string>;
export interface RunHookOptions extends HookContextOptions {
    /** Give up (exit 0, event passes untouched) after this long. */
    deadlineMs?: number;
    /** Builds the handler's context; tests pass stores that fail on purpose. Default: createHookContext. */
    createContext?: (options: HookContextOptions) => HookContext;
}
/** A handler's run, mapped to output, whose state changes may still be held by the store (see `holdClaims`). */
export interface PreparedRun {
    run: HookRun;
    /**
     * Commits what the handler left held and returns what may be printed: `run` itself, or — when the
     * commit failed — a warning alone, so that nothing is printed whose state change did not commit.
     * Synchronous, so a hook process can print and exit with nothing in between.
     */
    settle(): HookRun;
}
/** Runs a handler up to the point of printing. Hook processes settle, print and exit in one step. */
export declare function prepareHook(event: string, expected: string | undefined, handler: HookHandler, raw: string, options?: RunHookOptions): Promise<PreparedRun>;
/** Runs a handler and commits what it changed: what a hook process would print, without a process. */
export declare function runHook(event: string, expected: string | undefined, handler: HookHandler, raw: string, options?: RunHookOptions): Promise<HookRun>;
export declare function readStdinFd(max?: number): Promise<string>;
/** The whole life of a hook process. Entry files call only this. */
export declare function runHookProcess(event: string, expected: string | undefined, handler: HookHandler, options?: RunHookOptions): Promise<void>;
