/** The clock file: one decimal number of milliseconds, replaced atomically by the engine. */
export declare const CLOCK_FILE_ENV = "BG_NOTIFY_CLOCK_FILE";
/** This process's own wait file: present (holding the wake-up time) while it sleeps. */
export declare const CLOCK_WAIT_FILE_ENV = "BG_NOTIFY_CLOCK_WAIT_FILE";
export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
}
export declare function readClockFile(file: string): number | undefined;
/** Atomic so that a reader never sees half a number. */
export declare function writeNumberFile(file: string, value: number): void;
/** The replay's virtual clock when the environment names one; undefined in normal use. */
export declare function clockFromEnv(env: NodeJS.ProcessEnv): Clock | undefined;
