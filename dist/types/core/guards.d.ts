/**
 * A plain JSON object. An own "__proto__" key (JSON.parse makes one) and arrays are refused, so the
 * hand-written fast checks leave such values to the zod schemas.
 */
export declare function isPlainObject(value: unknown): value is Record<string, unknown>;
/** Any non-array object, or an empty one: for reading fields of Claude Code's loosely typed JSON. */
export declare function asRecord(value: unknown): Record<string, unknown>;
export declare const ID_MAX_CHARS = 128;
/** Every id that comes from Claude Code (session, task, agent): never a path, always this charset. */
export declare const ID_PATTERN: RegExp;
export declare function isId(value: unknown): value is string;
/** The fields of `value` that are set. */
export declare function defined<T extends object>(value: T): Partial<T>;
/** How much of one task's text (result, error) is kept anywhere: the one cap for hook input and state. */
export declare const TASK_TEXT_CHARS = 20000;
/** How much of each other field Claude Code hands over a task record keeps: every hook parses the state. */
export declare const FIELD_CHARS: {
    readonly id: 200;
    readonly description: 500;
    readonly summary: 1000;
    readonly command: 2000;
    readonly path: 4096;
};
export declare function clip(text: string | undefined, max?: number): string | undefined;
/** "850 ms", "3.8 s", "4 min", "2 h": for notices and the CLI alike. */
export declare function formatDuration(ms: number): string;
/**
 * Per-session records bounded by age and count: those stamped within `ttlMs` of `now`, the `keep` newest;
 * undefined when none is left (the caller drops the field). The same record when nothing goes.
 */
export declare function newestRecords<T extends {
    at: number;
}>(records: Record<string, T>, now: number, ttlMs: number, keep: number): Record<string, T> | undefined;
