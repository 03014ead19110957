// The journal: one line per completion recorded into a batch and per batch claimed, appended before the
// state file that holds the change is renamed into place (so it may hold a change that never committed:
// recovery then errs towards telling a completion again, never towards dropping it).
import { join } from "node:path";
import { isId, isPlainObject } from "../core/guards.js";
import { createEmptyState, parseTask, taskKey } from "../core/state.js";
import type { BackgroundTask, Batch, BgState } from "../core/types.js";
import { appendLog, fsReason, readLog } from "./files.js";
import { EVENTS_FILE, JOURNAL_FILE } from "./paths.js";

/** Task text kept in the journal: enough for a recovered notice's excerpt, small enough to keep it cheap. */
const JOURNAL_TEXT_CHARS = 2000;

export type JournalEntry =
  | { t: "recorded"; at: number; key: string; batchId: string; task: BackgroundTask; promptId?: string }
  | { t: "claimed"; at: number; batchId: string }
  | { t: "reopened"; at: number; batchId: string };

export interface Marks {
  keys: Set<string>;
  delivered: Set<string>;
}

export function marks(state: BgState): Marks {
  const keys = new Set<string>();
  const delivered = new Set<string>();
  for (const batch of state.batches) {
    if (batch.deliveredAt !== undefined) delivered.add(batch.id);
    for (const item of batch.items) keys.add(item.key);
  }
  return { keys, delivered };
}

function clipTask(task: BackgroundTask): BackgroundTask {
  const copy = { ...task };
  if (copy.result !== undefined) copy.result = copy.result.slice(0, JOURNAL_TEXT_CHARS);
  if (copy.error !== undefined) copy.error = copy.error.slice(0, JOURNAL_TEXT_CHARS);
  return copy;
}

export function journalEntries(before: Marks, state: BgState, at: number): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const batch of state.batches) {
    for (const item of batch.items) {
      if (!before.keys.has(item.key))
        entries.push({
          t: "recorded",
          at: item.recordedAt,
          key: item.key,
          batchId: batch.id,
          task: clipTask(item.task),
          ...(item.promptId !== undefined ? { promptId: item.promptId } : {}),
        });
    }
    if (batch.deliveredAt !== undefined && !before.delivered.has(batch.id))
      entries.push({ t: "claimed", at, batchId: batch.id });
    if (batch.deliveredAt === undefined && before.delivered.has(batch.id))
      entries.push({ t: "reopened", at, batchId: batch.id });
  }
  return entries;
}

/** Appends journal lines; returns why it could not, for the caller to report if its commit goes ahead. */
export function appendJournal(dir: string, entries: readonly JournalEntry[]): string | undefined {
  try {
    appendLog(
      dir,
      JOURNAL_FILE,
      entries.map((e) => JSON.stringify(e)),
    );
    return undefined;
  } catch (error) {
    return `bg-notify: cannot append to ${join(dir, JOURNAL_FILE)}: ${fsReason(error)}`;
  }
}

export interface Recovered {
  state: BgState;
  /** Completions recorded into a batch never claimed: owed again. */
  owed: number;
  /** Log lines passed over: cut short by a kill, or not as this version writes them. */
  skipped: number;
}

/** A journal line's completion as this version writes it, or undefined. */
function recordedEntry(entry: Record<string, unknown>): Extract<JournalEntry, { t: "recorded" }> | undefined {
  const { key, batchId, at, promptId } = entry;
  if (typeof key !== "string" || !isId(batchId) || typeof at !== "number" || !Number.isFinite(at)) return;
  if (promptId !== undefined && typeof promptId !== "string") return;
  const task = parseTask(entry["task"]);
  if (!task || !isId(task.id) || !isId(task.parentSessionId)) return;
  return { t: "recorded", key, batchId, at, task, ...(promptId !== undefined ? { promptId } : {}) };
}

/**
 * Rebuilds what was owed from the journal and the event log (`background_task_completed` records carry
 * the key and batch id; `background_tasks_notification` marks a batch told): every recorded completion
 * goes back into the ledger, and those whose batch was never claimed are owed again, in their batch.
 * Each line stands alone: one that does not validate is skipped and counted, never voids the rest.
 */
export function recoverFromLogs(dir: string, now: number): Recovered {
  const recorded = new Map<
    string,
    { at: number; batchId: string; task: BackgroundTask; promptId?: string | undefined }
  >();
  const claimed = new Set<string>();
  // Claims and reopenings in the journal's order decide; the event log only fills in what it lacks.
  const journalled = new Set<string>();
  let skipped = 0;
  for (const entry of readLog(dir, JOURNAL_FILE)) {
    if (!isPlainObject(entry)) {
      skipped++;
      continue;
    }
    const t = entry["t"];
    if (t === "claimed" || t === "reopened") {
      const id = entry["batchId"];
      if (!isId(id)) {
        skipped++;
        continue;
      }
      if (t === "claimed") claimed.add(id);
      else claimed.delete(id);
      journalled.add(id);
      continue;
    }
    const record = t === "recorded" ? recordedEntry(entry) : undefined;
    if (!record) {
      skipped++;
      continue;
    }
    recorded.set(record.key, {
      at: record.at,
      batchId: record.batchId,
      task: record.task,
      promptId: record.promptId,
    });
  }
  for (const record of readLog(dir, EVENTS_FILE)) {
    if (!isPlainObject(record) || !isPlainObject(record["payload"])) continue;
    const p = record["payload"];
    if (
      record["type"] === "background_tasks_notification" &&
      isId(p["batchId"]) &&
      !journalled.has(p["batchId"])
    )
      claimed.add(p["batchId"]);
    if (
      record["type"] === "background_task_completed" &&
      typeof p["key"] === "string" &&
      isId(p["batchId"]) &&
      isId(p["taskId"]) &&
      isId(p["parentSessionId"]) &&
      !recorded.has(p["key"])
    ) {
      const status = p["status"] === "completed" || p["status"] === "cancelled" ? p["status"] : "error";
      const task: BackgroundTask = {
        id: p["taskId"],
        parentSessionId: p["parentSessionId"],
        kind: "task",
        description: p["taskId"],
        status,
      };
      if (typeof p["result"] === "string") task.result = p["result"].slice(0, JOURNAL_TEXT_CHARS);
      if (typeof p["error"] === "string") task.error = p["error"].slice(0, JOURNAL_TEXT_CHARS);
      const at = Date.parse(String(record["time"]));
      recorded.set(p["key"], { at: Number.isFinite(at) ? at : now, batchId: p["batchId"], task });
    }
  }

  const state = createEmptyState(now);
  const batches = new Map<string, Batch>();
  let owed = 0;
  for (const [key, { at, batchId, task, promptId }] of [...recorded].sort((a, b) => a[1].at - b[1].at)) {
    state.ledger[key] = at;
    state.tasks[taskKey(task.parentSessionId, task.id)] = task;
    if (claimed.has(batchId)) continue;
    let batch = batches.get(batchId);
    if (!batch) {
      batch = { id: batchId, parentSessionId: task.parentSessionId, openedAt: at, items: [] };
      batches.set(batchId, batch);
      state.batches.push(batch);
    }
    batch.items.push({ key, recordedAt: at, task, ...(promptId !== undefined ? { promptId } : {}) });
    owed++;
  }
  return { state, owed, skipped };
}
