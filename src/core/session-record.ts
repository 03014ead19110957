// One session of the hooks module layer as it keeps it in Claude Code's plugin store (`$.store`, key
// `session:<id>`): written by src/module/, read by the CLI through src/store/module-records.ts.
import type { BgState, EventRecord } from "./types.js";

export const SESSION_KEY_PREFIX = "session:";

/** What one session of the module layer keeps under `session:<id>`. */
export interface SessionRecord {
  version: 1;
  /** The project directory the session ran in. */
  project: string;
  /** Which layer held this session's notices, and why (doctor, status). */
  layer: { name: "module" | "hooks"; why: string };
  updatedAt: number;
  state: BgState;
  events: EventRecord[];
}

export function isRecordShape(value: unknown): value is SessionRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<SessionRecord>;
  return (
    r.version === 1 &&
    typeof r.project === "string" &&
    typeof r.updatedAt === "number" &&
    typeof r.state === "object" &&
    Array.isArray(r.events) &&
    typeof r.layer === "object" &&
    r.layer !== null
  );
}
