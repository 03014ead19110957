// Small checks every layer shares: plain objects, ids, optional fields. Pure, no I/O.

/**
 * A plain JSON object. An own "__proto__" key (JSON.parse makes one) and arrays are refused, so the
 * hand-written fast checks leave such values to the zod schemas.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !Object.hasOwn(value, "__proto__")
  );
}

/** Any non-array object, or an empty one: for reading fields of Claude Code's loosely typed JSON. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export const ID_MAX_CHARS = 128;
/** Every id that comes from Claude Code (session, task, agent): never a path, always this charset. */
export const ID_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,${ID_MAX_CHARS - 1}}$`);

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}

/** The fields of `value` that are set. */
export function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** How much of one task's text (result, error) is kept anywhere: the one cap for hook input and state. */
export const TASK_TEXT_CHARS = 20_000;

/** How much of each other field Claude Code hands over a task record keeps: every hook parses the state. */
export const FIELD_CHARS = { id: 200, description: 500, summary: 1000, command: 2000, path: 4096 } as const;

export function clip(text: string | undefined, max = TASK_TEXT_CHARS): string | undefined {
  return text === undefined ? undefined : text.slice(0, max);
}

/** "850 ms", "3.8 s", "4 min", "2 h": for notices and the CLI alike. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (abs < 2 * 3600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3600_000)} h`;
}

/**
 * Per-session records bounded by age and count: those stamped within `ttlMs` of `now`, the `keep` newest;
 * undefined when none is left (the caller drops the field). The same record when nothing goes.
 */
export function newestRecords<T extends { at: number }>(
  records: Record<string, T>,
  now: number,
  ttlMs: number,
  keep: number,
): Record<string, T> | undefined {
  const live = Object.entries(records)
    .filter(([, r]) => now - r.at <= ttlMs)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, keep);
  if (live.length === Object.keys(records).length) return records;
  return live.length === 0 ? undefined : Object.fromEntries(live);
}
