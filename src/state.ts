// The persisted state: its schema (versioned, validated with zod), the empty state, keys and pruning.
import * as z from "zod/mini";
import type { BackgroundTask, BgNotifyConfig, BgState } from "./types.js";

export const STATE_VERSION = 1;

const optionalString = z.optional(z.string());
const optionalNumber = z.optional(z.number());

const taskSchema = z.looseObject({
  id: z.string(),
  parentSessionId: z.string(),
  sessionId: optionalString,
  kind: z.string(),
  description: z.string(),
  command: optionalString,
  agentType: optionalString,
  model: optionalString,
  status: z.enum(["pending", "running", "completed", "error", "cancelled"]),
  originalStatus: optionalString,
  queuedAt: optionalNumber,
  startedAt: optionalNumber,
  completedAt: optionalNumber,
  lastProgressAt: optionalNumber,
  result: optionalString,
  error: optionalString,
  exitCode: optionalNumber,
  outputFile: optionalString,
  concurrencyKey: optionalString,
  toolUseId: optionalString,
  summary: optionalString,
  usage: z.optional(
    z.object({ tokens: optionalNumber, toolUses: optionalNumber, durationMs: optionalNumber }),
  ),
  generation: optionalNumber,
  background: z.optional(z.boolean()),
  vanishedAt: optionalNumber,
});

const batchSchema = z.object({
  id: z.string(),
  parentSessionId: z.string(),
  openedAt: z.number(),
  items: z.array(z.object({ key: z.string(), recordedAt: z.number(), task: taskSchema })),
  deliveredAt: optionalNumber,
  deliveredVia: optionalString,
  deliveredBy: optionalString,
});

const stateSchema = z.object({
  version: z.literal(STATE_VERSION),
  tasks: z.record(z.string(), taskSchema),
  batches: z.array(batchSchema),
  ledger: z.record(z.string(), z.number()),
  updatedAt: z.number(),
});

export function createEmptyState(now = 0): BgState {
  return { version: STATE_VERSION, tasks: {}, batches: [], ledger: {}, updatedAt: now };
}

export type StateParseResult = { ok: true; state: BgState } | { ok: false; reason: string };

/** Validates parsed JSON as state; never throws. */
export function parseState(value: unknown): StateParseResult {
  if (typeof value === "object" && value !== null && "version" in value && value.version !== STATE_VERSION) {
    return { ok: false, reason: `unsupported state version ${JSON.stringify(value.version)}` };
  }
  const parsed = stateSchema.safeParse(value);
  if (parsed.success) return { ok: true, state: parsed.data as BgState };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `invalid state at ${issue ? issue.path.join(".") || "(root)" : "(root)"}` };
}

export function taskKey(parentSessionId: string, taskId: string): string {
  return `${parentSessionId}/${taskId}`;
}

export function completionKey(task: BackgroundTask): string {
  const outcome = task.originalStatus === "unknown" ? "unknown" : task.status;
  return `${task.parentSessionId}/${task.id}#${task.generation ?? 0}:${outcome}`;
}

const LEDGER_TTL_MS = 60 * 60 * 1000;
const LEDGER_CAP = 2000;
const DELIVERED_KEEP = 20;

/** Drops what no longer matters so the file, and every hook's parse of it, stays small. */
export function pruneState(
  state: BgState,
  now: number,
  config: Pick<BgNotifyConfig, "taskTtlMs" | "deliveredTtlMs">,
): void {
  for (const [key, task] of Object.entries(state.tasks)) {
    const finishedAt = task.completedAt;
    if (finishedAt !== undefined && task.status !== "running" && task.status !== "pending") {
      if (now - finishedAt > config.taskTtlMs) delete state.tasks[key];
    } else if (task.startedAt !== undefined && now - task.startedAt > 7 * 24 * 3600 * 1000) {
      delete state.tasks[key];
    }
  }
  const delivered = state.batches.filter((b) => b.deliveredAt !== undefined);
  const keepDelivered = new Set(
    delivered
      .filter((b) => now - (b.deliveredAt ?? 0) <= config.deliveredTtlMs)
      .slice(-DELIVERED_KEEP)
      .map((b) => b.id),
  );
  state.batches = state.batches.filter((b) => b.deliveredAt === undefined || keepDelivered.has(b.id));
  const ledger = Object.entries(state.ledger).filter(([, at]) => now - at <= LEDGER_TTL_MS);
  if (ledger.length !== Object.keys(state.ledger).length || ledger.length > LEDGER_CAP) {
    ledger.sort((a, b) => a[1] - b[1]);
    state.ledger = Object.fromEntries(ledger.slice(-LEDGER_CAP));
  }
}
