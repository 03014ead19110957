export interface RecordedEvent {
    offsetMs: number;
    input: Record<string, unknown>;
}
export interface HookCommand {
    event: string;
    matcher?: string;
    command: string;
    args: string[];
    async: boolean;
    timeoutSec: number;
    /** The script's file name, for reports. */
    name: string;
}
export interface HandlerRun {
    event: string;
    handler: string;
    async: boolean;
    startedAtMs: number;
    durationMs: number;
    exitCode: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
    blocked: boolean;
    delivery?: ReplayDelivery;
}
export interface ReplayDelivery {
    /** rewake: woke the parent (exit 2); context: rode on a turn already running; stop: kept the turn going. */
    kind: "rewake" | "context" | "stop";
    atMs: number;
    handler: string;
    text: string;
}
export interface ReplayedEvent {
    index: number;
    offsetMs: number;
    event: string;
    summary: string;
    runs: HandlerRun[];
}
export interface ReplayReport {
    clock: ReplayClock;
    events: ReplayedEvent[];
    deliveries: ReplayDelivery[];
    /** Notices that reached the parent natively (not blocked): each one is a wake-up. */
    nativeWakeUps: number;
    /** Wake-ups the plugin caused (rewake exits). */
    pluginWakeUps: number;
    notices: number;
    blockedNotices: number;
    /** Handler runs that crashed, were killed or exited with a code other than 0 or 2. */
    handlerErrors: number;
}
/**
 * real: hooks read the real clock and recorded gaps are waited out (scaled by `speed`).
 * virtual: deterministic, no waiting; see `replayVirtual`.
 */
export type ReplayClock = "real" | "virtual";
export interface ReplayProgress {
    done: number;
    total: number;
    /** Milliseconds of replay time since the first event. */
    atMs: number;
    /** The hook event about to fire. */
    event: string;
}
export interface ReplayOptions {
    pluginRoot: string;
    stateDir: string;
    projectDir: string;
    env?: NodeJS.ProcessEnv;
    /** 1 = recorded timing, 2 = twice as fast; 0 or Infinity = no waiting between events. */
    speed?: number;
    /** Fire Claude Code's wake-up echo prompt after each rewake delivery, as the real CLI does. */
    simulateEcho?: boolean;
    clock?: ReplayClock;
    /** Where the virtual clock's files go (default: a temp dir); removed afterwards either way. */
    scratchDir?: string;
    /** After an event's sync handlers have finished (async ones are reported through `onAsyncRun`). */
    onEvent?: (event: ReplayedEvent) => void;
    onAsyncRun?: (run: HandlerRun, event: ReplayedEvent) => void;
    /** Before each recorded event is fired. */
    onProgress?: (progress: ReplayProgress) => void;
    /** Aborting kills every hook process still running and rejects with the signal's reason. */
    signal?: AbortSignal;
}
export declare function parseRecording(text: string): RecordedEvent[];
export declare function loadHookCommands(pluginRoot: string): HookCommand[];
export declare function echoPrompt(text: string): string;
export declare function replay(recording: readonly RecordedEvent[], options: ReplayOptions): Promise<ReplayReport>;
