// The persisted state: its schema (versioned, validated with zod), the empty state, keys and pruning.
import * as z from "zod/mini";
import { isPlainObject } from "./guards.js";
import { HOSTS_KEEP, pruneHosts } from "./host.js";
import { pruneTallies, TALLY_SESSIONS_KEEP } from "./savings.js";
import type { BackgroundTask, Batch, BgNotifyConfig, BgState } from "./types.js";

export const STATE_VERSION = 1;

// Built on first use: loading zod is most of a hook's start-up time, so the hook bundles load it only
// when a state file is not plainly valid (see `isPlainlyValidState`, and docs/PERFORMANCE.md).
function buildStateSchema() {
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
    ownerAgentId: optionalString,
    turnId: optionalString,
  });

  const batchSchema = z.object({
    id: z.string(),
    parentSessionId: z.string(),
    openedAt: z.number(),
    items: z.array(
      z.object({ key: z.string(), recordedAt: z.number(), task: taskSchema, promptId: optionalString }),
    ),
    deliveredAt: optionalNumber,
    deliveredVia: optionalString,
    claimedBy: optionalString,
    toldBy: z.optional(z.enum(["claude-code", "parent-read"])),
    ackedAt: optionalNumber,
    correctedAt: optionalNumber,
  });

  return z.object({
    version: z.literal(STATE_VERSION),
    tasks: z.record(z.string(), taskSchema),
    batches: z.array(batchSchema),
    ledger: z.record(z.string(), z.number()),
    sessions: z.optional(z.record(z.string(), z.object({ promptId: z.string(), at: z.number() }))),
    listed: z.optional(z.record(z.string(), z.object({ at: z.number(), ids: z.array(z.string()) }))),
    wakes: z.optional(z.record(z.string(), z.array(z.number()))),
    tally: z.optional(
      z.record(
        z.string(),
        z.object({
          completions: z.number(),
          idle: z.array(z.number()),
          woke: z.array(z.number()),
          transcript: optionalString,
          allDoneAt: optionalNumber,
          at: z.number(),
        }),
      ),
    ),
    hosts: z.optional(
      z.record(
        z.string(),
        z.object({ version: optionalString, aside: optionalString, said: optionalNumber, at: z.number() }),
      ),
    ),
    slots: z.optional(
      z.record(
        z.string(),
        z.object({
          parentSessionId: z.string(),
          toolUseId: z.string(),
          tier: z.string(),
          description: z.string(),
          at: z.number(),
        }),
      ),
    ),
    updatedAt: z.number(),
    commits: optionalNumber,
    journal: z.optional(z.object({ ino: z.number(), from: z.number(), to: z.number() })),
  });
}

let builtStateSchema: ReturnType<typeof buildStateSchema> | undefined;

/** The zod schema of state.json, the reference for `isPlainlyValidState` (test/core/plain-checks.test.ts). */
export function stateSchema(): ReturnType<typeof buildStateSchema> {
  builtStateSchema ??= buildStateSchema();
  return builtStateSchema;
}

export function createEmptyState(now = 0): BgState {
  return { version: STATE_VERSION, tasks: {}, batches: [], ledger: {}, updatedAt: now };
}

// The schema's verdict on the common case, without zod: true only for a value the schema accepts and
// returns unchanged (so no key a strict object would strip). Anything else goes to the schema itself.

function hasOnlyKeys(value: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const key in value) if (!keys.has(key)) return false;
  return true;
}

const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);
const isOptionalNumber = (value: unknown) => value === undefined || isNumber(value);
const isOptionalString = (value: unknown) => value === undefined || typeof value === "string";

const TASK_STATUSES: ReadonlySet<unknown> = new Set([
  "pending",
  "running",
  "completed",
  "error",
  "cancelled",
]);
const TASK_STRINGS = ["id", "parentSessionId", "kind", "description"] as const;
const TASK_OPTIONAL_STRINGS = [
  "sessionId",
  "command",
  "agentType",
  "model",
  "originalStatus",
  "result",
  "error",
  "outputFile",
  "concurrencyKey",
  "toolUseId",
  "summary",
  "ownerAgentId",
  "turnId",
] as const;
const TASK_OPTIONAL_NUMBERS = [
  "queuedAt",
  "startedAt",
  "completedAt",
  "lastProgressAt",
  "exitCode",
  "generation",
  "vanishedAt",
] as const;
const USAGE_KEYS: ReadonlySet<string> = new Set(["tokens", "toolUses", "durationMs"]);
const BATCH_KEYS: ReadonlySet<string> = new Set([
  "id",
  "parentSessionId",
  "openedAt",
  "items",
  "deliveredAt",
  "deliveredVia",
  "claimedBy",
  "toldBy",
  "ackedAt",
  "correctedAt",
]);
const ITEM_KEYS: ReadonlySet<string> = new Set(["key", "recordedAt", "task", "promptId"]);
const STATE_KEYS: ReadonlySet<string> = new Set([
  "version",
  "tasks",
  "batches",
  "ledger",
  "sessions",
  "listed",
  "wakes",
  "tally",
  "hosts",
  "slots",
  "updatedAt",
  "commits",
  "journal",
]);
const TURN_KEYS: ReadonlySet<string> = new Set(["promptId", "at"]);
const LISTING_KEYS: ReadonlySet<string> = new Set(["at", "ids"]);
const TALLY_KEYS: ReadonlySet<string> = new Set([
  "completions",
  "idle",
  "woke",
  "transcript",
  "allDoneAt",
  "at",
]);
const HOST_KEYS: ReadonlySet<string> = new Set(["version", "aside", "said", "at"]);
const MARK_KEYS: ReadonlySet<string> = new Set(["ino", "from", "to"]);
const SLOT_KEYS: ReadonlySet<string> = new Set(["parentSessionId", "toolUseId", "tier", "description", "at"]);

function isPlainlyValidTask(task: unknown): boolean {
  if (!isPlainObject(task) || !TASK_STATUSES.has(task["status"])) return false;
  for (const field of TASK_STRINGS) if (typeof task[field] !== "string") return false;
  for (const field of TASK_OPTIONAL_STRINGS) if (!isOptionalString(task[field])) return false;
  for (const field of TASK_OPTIONAL_NUMBERS) if (!isOptionalNumber(task[field])) return false;
  const usage = task["usage"];
  if (usage !== undefined) {
    if (!isPlainObject(usage) || !hasOnlyKeys(usage, USAGE_KEYS)) return false;
    for (const key of USAGE_KEYS) if (!isOptionalNumber(usage[key])) return false;
  }
  return task["background"] === undefined || typeof task["background"] === "boolean";
}

function isPlainlyValidBatch(batch: unknown): boolean {
  if (!isPlainObject(batch) || !hasOnlyKeys(batch, BATCH_KEYS)) return false;
  if (typeof batch["id"] !== "string" || typeof batch["parentSessionId"] !== "string") return false;
  if (!isNumber(batch["openedAt"]) || !isOptionalNumber(batch["deliveredAt"])) return false;
  if (!isOptionalString(batch["deliveredVia"]) || !isOptionalString(batch["claimedBy"])) return false;
  const toldBy = batch["toldBy"];
  if (toldBy !== undefined && toldBy !== "claude-code" && toldBy !== "parent-read") return false;
  if (!isOptionalNumber(batch["ackedAt"]) || !isOptionalNumber(batch["correctedAt"])) return false;
  const items = batch["items"];
  if (!Array.isArray(items)) return false;
  for (const item of items) {
    if (!isPlainObject(item) || !hasOnlyKeys(item, ITEM_KEYS)) return false;
    if (typeof item["key"] !== "string" || !isNumber(item["recordedAt"])) return false;
    if (!isOptionalString(item["promptId"])) return false;
    if (!isPlainlyValidTask(item["task"])) return false;
  }
  return true;
}

function isPlainlyValidState(value: unknown): value is BgState {
  if (!isPlainObject(value) || !hasOnlyKeys(value, STATE_KEYS)) return false;
  if (value["version"] !== STATE_VERSION || !isNumber(value["updatedAt"])) return false;
  const { tasks, batches, ledger } = value;
  if (!isPlainObject(tasks) || !isPlainObject(ledger) || !Array.isArray(batches)) return false;
  for (const key in tasks) if (!isPlainlyValidTask(tasks[key])) return false;
  for (const batch of batches) if (!isPlainlyValidBatch(batch)) return false;
  for (const key in ledger) if (!isNumber(ledger[key])) return false;
  if (!isOptionalNumber(value["commits"])) return false;
  const journal = value["journal"];
  if (journal !== undefined) {
    if (!isPlainObject(journal) || !hasOnlyKeys(journal, MARK_KEYS)) return false;
    if (!isNumber(journal["ino"]) || !isNumber(journal["from"]) || !isNumber(journal["to"])) return false;
  }
  const listed = value["listed"];
  if (listed !== undefined) {
    if (!isPlainObject(listed)) return false;
    for (const key in listed) {
      const listing = listed[key];
      if (!isPlainObject(listing) || !hasOnlyKeys(listing, LISTING_KEYS) || !isNumber(listing["at"]))
        return false;
      const ids = listing["ids"];
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) return false;
    }
  }
  const wakes = value["wakes"];
  if (wakes !== undefined) {
    if (!isPlainObject(wakes)) return false;
    for (const key in wakes) {
      const times = wakes[key];
      if (!Array.isArray(times) || !times.every(isNumber)) return false;
    }
  }
  const tally = value["tally"];
  if (tally !== undefined) {
    if (!isPlainObject(tally)) return false;
    for (const key in tally) {
      const t = tally[key];
      if (
        !isPlainObject(t) ||
        !hasOnlyKeys(t, TALLY_KEYS) ||
        !isNumber(t["completions"]) ||
        !isNumber(t["at"]) ||
        !(t["transcript"] === undefined || typeof t["transcript"] === "string") ||
        !(t["allDoneAt"] === undefined || isNumber(t["allDoneAt"]))
      )
        return false;
      for (const times of [t["idle"], t["woke"]])
        if (!Array.isArray(times) || !times.every(isNumber)) return false;
    }
  }
  const hosts = value["hosts"];
  if (hosts !== undefined) {
    if (!isPlainObject(hosts)) return false;
    for (const key in hosts) {
      const h = hosts[key];
      if (!isPlainObject(h) || !hasOnlyKeys(h, HOST_KEYS) || !isNumber(h["at"])) return false;
      if (!isOptionalString(h["version"]) || !isOptionalString(h["aside"]) || !isOptionalNumber(h["said"]))
        return false;
    }
  }
  const slots = value["slots"];
  if (slots !== undefined) {
    if (!isPlainObject(slots)) return false;
    for (const key in slots) {
      const slot = slots[key];
      if (!isPlainObject(slot) || !hasOnlyKeys(slot, SLOT_KEYS) || !isNumber(slot["at"])) return false;
      for (const field of ["parentSessionId", "toolUseId", "tier", "description"])
        if (typeof slot[field] !== "string") return false;
    }
  }
  const sessions = value["sessions"];
  if (sessions === undefined) return true;
  if (!isPlainObject(sessions)) return false;
  for (const key in sessions) {
    const turn = sessions[key];
    if (!isPlainObject(turn) || !hasOnlyKeys(turn, TURN_KEYS)) return false;
    if (typeof turn["promptId"] !== "string" || !isNumber(turn["at"])) return false;
  }
  return true;
}

/** Validates one task as the state holds it (a journal line's, say); never throws. */
export function parseTask(value: unknown): BackgroundTask | undefined {
  if (isPlainlyValidTask(value)) return value as unknown as BackgroundTask;
  const probe = { ...createEmptyState(), tasks: { probe: value } };
  const parsed = stateSchema().safeParse(probe);
  return parsed.success ? (parsed.data.tasks["probe"] as BackgroundTask) : undefined;
}

export type StateParseResult = { ok: true; state: BgState } | { ok: false; reason: string };

/**
 * Reads a state written by an earlier build as this one writes it: who told a batch was a sentinel in
 * `deliveredBy` beside the claiming process (now `toldBy` and `claimedBy`), and a concurrency slot was a
 * task of kind "agent-slot" (now in `slots`).
 */
function upgradeState(value: unknown): void {
  if (!isPlainObject(value)) return;
  const tasks = value["tasks"];
  if (isPlainObject(tasks))
    for (const key of Object.keys(tasks)) {
      const task = tasks[key];
      if (!isPlainObject(task) || task["kind"] !== "agent-slot") continue;
      delete tasks[key];
      const slots = isPlainObject(value["slots"]) ? value["slots"] : {};
      slots[key] = {
        parentSessionId: task["parentSessionId"],
        toolUseId: task["id"],
        tier: task["concurrencyKey"] ?? "default",
        description: task["description"],
        at: task["queuedAt"] ?? 0,
      };
      value["slots"] = slots;
    }
  if (!Array.isArray(value["batches"])) return;
  for (const batch of value["batches"]) {
    if (!isPlainObject(batch) || !("deliveredBy" in batch)) continue;
    const by = batch["deliveredBy"];
    delete batch["deliveredBy"];
    if (by === "claude-code" || by === "parent-read") batch["toldBy"] = by;
    else if (by !== undefined) batch["claimedBy"] = by;
  }
}

/** Validates parsed JSON as state; never throws. */
export function parseState(value: unknown): StateParseResult {
  if (typeof value === "object" && value !== null && "version" in value && value.version !== STATE_VERSION) {
    return { ok: false, reason: `unsupported state version ${JSON.stringify(value.version)}` };
  }
  upgradeState(value);
  if (isPlainlyValidState(value)) return { ok: true, state: value };
  const parsed = stateSchema().safeParse(value);
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

/**
 * Routes whose delivery is only "sent" until the session's transcript shows it arrived: the rewake's
 * wake-up (a user message) and context handed over by UserPromptSubmit, SessionStart, Stop or
 * PostToolUse (a `hook_additional_context` attachment; every form observed with Claude Code 2.1.332,
 * test/fixtures/transcripts/). The library's and the CLI's routes, the parent's own read and Claude
 * Code's own telling have nothing to wait for.
 */
function isAcknowledgedRoute(via: string | undefined): boolean {
  return (
    via === "rewake" ||
    via === "prompt-context" ||
    via === "in-turn-context" ||
    via === "summarize" ||
    via === "stop" ||
    via === "tool-result-context" ||
    (via?.startsWith("session-") ?? false)
  );
}

/**
 * Where a batch stands (docs/DESIGN.md, "Life of a batch"): `owed` until claimed; claimed by Claude Code's
 * own telling (`told-natively`), by an acknowledged route (`sent`, then `received` once the transcript
 * shows it), or by one with no acknowledgement (`delivered`: the parent's own read, the library, the CLI).
 */
export type BatchPhase = "owed" | "told-natively" | "sent" | "received" | "delivered";

export function phaseOf(batch: Batch): BatchPhase {
  if (batch.deliveredAt === undefined) return "owed";
  if (batch.toldBy === "claude-code") return "told-natively";
  if (!isAcknowledgedRoute(batch.deliveredVia)) return "delivered";
  return batch.ackedAt === undefined ? "sent" : "received";
}

/** A batch sent by a route that is acknowledged, that the parent has not been seen to receive yet. */
export function isSentUnacknowledged(batch: Batch): boolean {
  return phaseOf(batch) === "sent";
}

const LEDGER_TTL_MS = 60 * 60 * 1000;
/**
 * A batch owed this long (7 days) belongs to a session that never came back: it is closed, so that the
 * launcher's fast path returns and state.json stays small. Its notices stand in that session's transcript.
 */
export const OWED_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const SESSION_TURN_TTL_MS = 24 * 60 * 60 * 1000;
// Count bounds, whatever the ages, so that even a burst of thousands of completions within the TTLs
// leaves state.json small (~25 KB of shell completions; every hook reads it, every change parses and
// rewrites it: see docs/PERFORMANCE.md, "Growth"). Repeats of a completion arrive within seconds, so
// 100 ledger keys plus the kept batches are ample for deduplication; `bg-notify status` shows 5
// deliveries and 10 finished tasks.
const LEDGER_CAP = 100;
const DELIVERED_KEEP = 5;
/** A wake budget spans at most an hour and WAKES_KEEP wake-ups (core/config.ts bounds it so). */
export const WAKES_TTL_MS = 60 * 60 * 1000;
export const WAKES_KEEP = 100;
// A batch sent but not yet seen received is still owed if its wake-up is lost (SessionEnd and SessionStart
// reopen it) and marks a wake-up on its way: a burst of natively told notices must not push it out.
// Bounded apart, for a transcript that never shows any arrival.
const UNACKNOWLEDGED_KEEP = 10;
const FINISHED_TASKS_KEEP = 10;

const isFinished = (task: BackgroundTask) => task.status !== "running" && task.status !== "pending";

/**
 * Whether the history holds more than `pruneState` keeps, whatever the ages: hooks check this on every
 * change and prune then, so a long session's file (which every hook reads) stays bounded.
 */
export function exceedsRetention(state: BgState): boolean {
  let delivered = 0;
  let unacknowledged = 0;
  for (const batch of state.batches)
    if (isSentUnacknowledged(batch)) unacknowledged++;
    else if (batch.deliveredAt !== undefined) delivered++;
  if (delivered > DELIVERED_KEEP || unacknowledged > UNACKNOWLEDGED_KEEP) return true;
  if (state.tally && Object.keys(state.tally).length > TALLY_SESSIONS_KEEP) return true;
  if (state.hosts && Object.keys(state.hosts).length > HOSTS_KEEP) return true;
  let finished = 0;
  for (const key in state.tasks) if (isFinished(state.tasks[key] as BackgroundTask)) finished++;
  if (finished > FINISHED_TASKS_KEEP) return true;
  let entries = 0;
  for (const _ in state.ledger) if (++entries > LEDGER_CAP) return true;
  return false;
}

/** Drops what no longer matters so the file, and every hook's parse of it, stays small. */
export function pruneState(
  state: BgState,
  now: number,
  config: Pick<BgNotifyConfig, "taskTtlMs" | "deliveredTtlMs"> & Partial<Pick<BgNotifyConfig, "owedTtlMs">>,
): void {
  const owedTtlMs = config.owedTtlMs ?? OWED_TTL_MS;
  for (const [key, task] of Object.entries(state.tasks)) {
    const finishedAt = task.completedAt;
    if (finishedAt !== undefined && task.status !== "running" && task.status !== "pending") {
      if (now - finishedAt > config.taskTtlMs) delete state.tasks[key];
    } else if (task.startedAt !== undefined && now - task.startedAt > 7 * 24 * 3600 * 1000) {
      delete state.tasks[key];
    }
  }
  const finished = Object.entries(state.tasks).filter(([, task]) => isFinished(task));
  if (finished.length > FINISHED_TASKS_KEEP) {
    finished.sort((a, b) => (a[1].completedAt ?? 0) - (b[1].completedAt ?? 0));
    for (const [key] of finished.slice(0, -FINISHED_TASKS_KEEP)) delete state.tasks[key];
  }
  const recent = state.batches.filter(
    (b) => b.deliveredAt !== undefined && now - b.deliveredAt <= config.deliveredTtlMs,
  );
  const keepDelivered = new Set(
    [
      ...recent.filter((b) => !isSentUnacknowledged(b)).slice(-DELIVERED_KEEP),
      ...recent.filter(isSentUnacknowledged).slice(-UNACKNOWLEDGED_KEEP),
    ].map((b) => b.id),
  );
  state.batches = state.batches.filter((b) =>
    b.deliveredAt === undefined ? now - b.openedAt <= owedTtlMs : keepDelivered.has(b.id),
  );
  const ledger = Object.entries(state.ledger).filter(([, at]) => now - at <= LEDGER_TTL_MS);
  if (ledger.length !== Object.keys(state.ledger).length || ledger.length > LEDGER_CAP) {
    ledger.sort((a, b) => a[1] - b[1]);
    state.ledger = Object.fromEntries(ledger.slice(-LEDGER_CAP));
  }
  if (state.sessions) {
    for (const [id, turn] of Object.entries(state.sessions))
      if (now - turn.at > SESSION_TURN_TTL_MS) delete state.sessions[id];
  }
  if (state.listed) {
    for (const [id, listing] of Object.entries(state.listed))
      if (now - listing.at > SESSION_TURN_TTL_MS) delete state.listed[id];
  }
  pruneTallies(state, now);
  pruneHosts(state, now);
  if (state.wakes) {
    for (const [id, times] of Object.entries(state.wakes)) {
      const kept = times.filter((at) => now - at <= WAKES_TTL_MS).slice(-WAKES_KEEP);
      if (kept.length > 0) state.wakes[id] = kept;
      else delete state.wakes[id];
    }
  }
}
