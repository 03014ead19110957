// The journal: one line per completion recorded into a batch and per batch claimed or reopened, appended
// right after the state that holds the change is renamed into place. It rebuilds a damaged state.json and
// puts back what a commit that lost its lock overwrote.
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { stableId } from "../core/batching.js";
import { isId, isPlainObject } from "../core/guards.js";
import { createEmptyState, parseTask, taskKey } from "../core/state.js";
import { reopenBatches } from "../core/told.js";
import type { BackgroundTask, Batch, BgState, JournalMark } from "../core/types.js";
import { fsReason, readLog, rotateLog } from "./files.js";
import { EVENTS_FILE, JOURNAL_FILE } from "./paths.js";
import { appendOwnFile, readOwnFile } from "./safe-fs.js";

const ROTATED_JOURNAL_FILE = JOURNAL_FILE.replace(/\.jsonl$/, ".1.jsonl");
/** The journal rotates at 1 MB: this reads either file whole. */
const JOURNAL_READ_MAX_BYTES = 8 * 1024 * 1024;

/** Task text kept in the journal: enough for a recovered notice's excerpt, small enough to keep it cheap. */
const JOURNAL_TEXT_CHARS = 2000;

/** `c`: the count of the commit that wrote the line (state.json's `commits` once it committed). */
export type JournalEntry =
  | {
      t: "recorded";
      at: number;
      key: string;
      batchId: string;
      task: BackgroundTask;
      promptId?: string;
      c?: number;
    }
  | { t: "claimed"; at: number; batchId: string; c?: number }
  | { t: "reopened"; at: number; batchId: string; c?: number };

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

/** The journal lines of commit number `count`, as one text to append. */
export function journalText(entries: readonly JournalEntry[], count: number): string {
  return entries.map((e) => `${JSON.stringify({ ...e, c: count })}\n`).join("");
}

/**
 * Where a commit's journal lines will stand: the journal is rotated first if it must be, so the lines
 * go to the file the mark names. Undefined when the journal cannot be looked at (the state then keeps no
 * mark, and nothing is put back after it).
 */
export function journalMark(dir: string, text: string): JournalMark | undefined {
  try {
    rotateLog(dir, JOURNAL_FILE);
    const path = join(dir, JOURNAL_FILE);
    const st = lstatSync(path, { throwIfNoEntry: false });
    const at = st?.isFile() ? { ino: st.ino, size: st.size } : appendOwnFile(path, "");
    return { ino: at.ino, from: at.size, to: at.size + Buffer.byteLength(text) };
  } catch {
    return undefined;
  }
}

/**
 * Appends a commit's lines, after its rename: the journal holds only what committed, so nothing put back
 * from it was a transaction that failed. Returns why it could not, for the caller to report.
 */
export function appendJournal(dir: string, text: string): string | undefined {
  if (!text) return undefined;
  try {
    appendOwnFile(join(dir, JOURNAL_FILE), text);
    return undefined;
  } catch (error) {
    return `bg-notify: cannot append to ${join(dir, JOURNAL_FILE)}: ${fsReason(error)}`;
  }
}

/**
 * Journal lines past a state's own (`mark`) from its commit or later ones: what a commit that
 * lost its lock overwrote (a holder paused past the stale time renames its state over its successor's).
 * Lines of an earlier commit there come from a holder that appended late; the state holds them already.
 */
function linesAfter(dir: string, mark: JournalMark, commits: number): Record<string, unknown>[] {
  const now = lstatSync(join(dir, JOURNAL_FILE), { throwIfNoEntry: false });
  // Only a state whose commit wrote no lines can tell from sizes alone that nothing followed: lines of
  // the same length could stand where its own were meant to. Its own lines are read again otherwise
  // (a few hundred bytes; putting them back changes nothing).
  if (now && now.ino === mark.ino && now.size === mark.to && mark.from === mark.to) return [];
  const rotated = lstatSync(join(dir, ROTATED_JOURNAL_FILE), { throwIfNoEntry: false });
  const texts: string[] = [];
  // The journal rotated since the mark: the rest of the old file, then the new one.
  if (rotated?.ino === mark.ino) texts.push(readFrom(dir, ROTATED_JOURNAL_FILE, mark.from));
  texts.push(readFrom(dir, JOURNAL_FILE, now?.ino === mark.ino ? mark.from : 0));
  const out: Record<string, unknown>[] = [];
  for (const text of texts)
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const entry: unknown = JSON.parse(line);
        if (isPlainObject(entry) && typeof entry["c"] === "number" && entry["c"] >= commits) out.push(entry);
      } catch {
        // a line cut short by a kill
      }
    }
  return out;
}

function readFrom(dir: string, name: string, offset: number): string {
  const read = readOwnFile(join(dir, name), JOURNAL_READ_MAX_BYTES);
  return read ? Buffer.from(read.text).subarray(offset).toString("utf8") : "";
}

/**
 * Puts back into `state` what commits after its own wrote and it lacks: every completion recorded (into
 * its batch, or a batch of its own when that batch was told since), every batch reopened. Claims are not
 * replayed: a claim that was overwritten is told again, never lost. Returns how many lines changed it.
 */
export function replayLostCommits(dir: string, state: BgState): number {
  const mark = state.journal;
  if (!mark) return 0;
  let replayed = 0;
  for (const entry of linesAfter(dir, mark, state.commits ?? 0)) {
    if (entry["t"] === "reopened" && isId(entry["batchId"])) {
      replayed += reopenBatches(state, [entry["batchId"]]).length;
      continue;
    }
    const record = entry["t"] === "recorded" ? recordedEntry(entry) : undefined;
    if (!record || state.ledger[record.key] !== undefined) continue;
    const { key, batchId, at, task, promptId } = record;
    state.ledger[key] = at;
    const known = state.tasks[taskKey(task.parentSessionId, task.id)];
    if (!known || known.status === "running" || known.status === "pending")
      state.tasks[taskKey(task.parentSessionId, task.id)] = task;
    let batch = state.batches.find((b) => b.id === batchId);
    if (batch?.deliveredAt !== undefined) batch = undefined;
    if (!batch) {
      const id = state.batches.some((b) => b.id === batchId)
        ? stableId("b-", `${task.parentSessionId}\n${key}`)
        : batchId;
      batch = { id, parentSessionId: task.parentSessionId, openedAt: at, items: [] };
      state.batches.push(batch);
    }
    batch.items.push({ key, recordedAt: at, task, ...(promptId !== undefined ? { promptId } : {}) });
    replayed++;
  }
  return replayed;
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
