// The journal: one line per completion recorded into a batch and per batch claimed, appended before the
// state file that holds the change is renamed into place (so it may hold a change that never committed:
// recovery then errs towards telling a completion again, never towards dropping it).
import { join } from "node:path";
import { isPlainObject } from "../core/guards.js";
import { createEmptyState, parseState, taskKey } from "../core/state.js";
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

/**
 * Rebuilds what was owed from the journal and the event log (`background_task_completed` records carry
 * the key and batch id; `background_tasks_notification` marks a batch told): every recorded completion
 * goes back into the ledger, and those whose batch was never claimed are owed again, in their batch.
 */
export function recoverFromLogs(dir: string, now: number): { state: BgState; owed: number } {
  const recorded = new Map<
    string,
    { at: number; batchId: string; task: BackgroundTask; promptId?: string | undefined }
  >();
  const claimed = new Set<string>();
  // Claims and reopenings in the journal's order decide; the event log only fills in what it lacks.
  const journalled = new Set<string>();
  for (const entry of readLog(dir, JOURNAL_FILE)) {
    if (!isPlainObject(entry)) continue;
    const id = typeof entry["batchId"] === "string" ? entry["batchId"] : undefined;
    if (entry["t"] === "claimed" && id) claimed.add(id);
    if (entry["t"] === "reopened" && id) claimed.delete(id);
    if ((entry["t"] === "claimed" || entry["t"] === "reopened") && id) journalled.add(id);
    if (
      entry["t"] === "recorded" &&
      typeof entry["key"] === "string" &&
      typeof entry["batchId"] === "string" &&
      typeof entry["at"] === "number" &&
      isPlainObject(entry["task"])
    ) {
      recorded.set(entry["key"], {
        at: entry["at"],
        batchId: entry["batchId"],
        task: entry["task"] as unknown as BackgroundTask,
        promptId: typeof entry["promptId"] === "string" ? entry["promptId"] : undefined,
      });
    }
  }
  for (const record of readLog(dir, EVENTS_FILE)) {
    if (!isPlainObject(record) || !isPlainObject(record["payload"])) continue;
    const p = record["payload"];
    if (
      record["type"] === "background_tasks_notification" &&
      typeof p["batchId"] === "string" &&
      !journalled.has(p["batchId"])
    )
      claimed.add(p["batchId"]);
    if (
      record["type"] === "background_task_completed" &&
      typeof p["key"] === "string" &&
      typeof p["batchId"] === "string" &&
      typeof p["taskId"] === "string" &&
      typeof p["parentSessionId"] === "string" &&
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
    if (typeof task.parentSessionId !== "string" || typeof task.id !== "string") continue;
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
  // Only what validates goes back: a journal line written by another version must not poison the state.
  const parsed = parseState(state);
  return parsed.ok ? { state: parsed.state, owed } : { state: createEmptyState(now), owed: 0 };
}
