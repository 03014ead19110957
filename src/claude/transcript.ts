// What Claude Code's transcript of a session (`transcript_path`, JSONL) shows the model was given: a
// text in a message of the conversation (a batch the wake-up carried), or a reply to a prompt's entry
// (a held notice a turn carried). Reads only the tail.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { isPlainObject } from "../core/guards.js";
import type { RequestCost, TranscriptCosts } from "../core/savings.js";
import { safeReadablePath } from "./hook-input.js";

/** A session's recent history: enough for batches told in the last minutes, cheap inside SessionEnd's 1.5 s. */
const TAIL_BYTES = 4 * 1024 * 1024;

/**
 * The texts among `needles` that a `"type":"user"` entry or a `hook_additional_context` attachment of
 * the transcript's tail holds; undefined when it cannot be read. Only such an entry is part of the
 * conversation the model is (or, on a resume, will be) sent: the wake-up's echo is also logged as a
 * queued prompt before that, and Claude Code may exit between the two (measured: the echo's hook ran,
 * then stdin's end stopped the turn).
 */
export function transcriptMentions(path: unknown, needles: readonly string[]): Set<string> | undefined {
  if (needles.length === 0) return undefined;
  const tail = readTail(path);
  if (tail === undefined) return undefined;
  const found = new Set<string>();
  // Only the lines that hold a needle are looked at, not every line of a tail of megabytes.
  for (const needle of needles)
    for (let at = tail.indexOf(needle); at >= 0; ) {
      const start = tail.lastIndexOf(NL, at) + 1;
      const end = lineEnd(tail, at);
      const line = tail.subarray(start, end);
      if (line.includes('"type":"user"') || line.includes('"type":"hook_additional_context"')) {
        found.add(needle);
        break;
      }
      at = tail.indexOf(needle, end);
    }
  return found;
}

/**
 * Of these prompts (`prompt_id`s), those whose user entry the model was given in a request that was
 * answered: an assistant entry descends from it (`parentUuid`), so the request that entry answers
 * carried it. (An `api-request` entry written after it is no proof: the file's order is not the
 * request's, and counting on it once left a notice that no request carried without its wake-up.)
 * `answeredPrompt` names a turn known to be answered (the Stop hook runs once its reply is in, before
 * Claude Code writes that reply): the entries that came before the turn's prompt in its chain stood in
 * the conversation its request carried. Undefined when the transcript cannot be read. Only entries
 * from the first of these prompts on are parsed.
 */
export function repliedPrompts(
  path: unknown,
  promptIds: readonly string[],
  answeredPrompt?: string,
): Set<string> | undefined {
  if (promptIds.length === 0) return undefined;
  const tail = readTail(path);
  if (tail === undefined) return undefined;
  const chain = chainFrom(tail, promptIds);
  const replied = new Set<string>();
  if (!chain) return replied;
  const wanted = new Set(promptIds);
  const promptOf = new Map<string, string>();
  let turnEntry: string | undefined;
  for (const entry of chain.entries) {
    if (entry.type !== "user" || !entry.promptId) continue;
    if (wanted.has(entry.promptId)) promptOf.set(entry.uuid, entry.promptId);
    if (answeredPrompt !== undefined && entry.promptId === answeredPrompt) turnEntry ??= entry.uuid;
  }
  const ends = chain.entries.filter((e) => e.type === "assistant").map((e) => e.uuid);
  // The turn's own prompt is not among the ancestors it vouches for: only what came before it.
  const turnParent = turnEntry === undefined ? undefined : chain.parentOf.get(turnEntry);
  if (turnParent !== undefined) ends.push(turnParent);
  for (const uuid of chain.ancestors(ends)) {
    const prompt = promptOf.get(uuid);
    if (prompt) replied.add(prompt);
  }
  return replied;
}

/**
 * Of these texts, those that a user entry or a hook's context attachment holds which the model answered
 * (an assistant entry descends from it): a wake-up whose request went out and came back, carrying
 * whatever was held before it.
 * Undefined when the transcript cannot be read.
 */
export function answeredMentions(path: unknown, needles: readonly string[]): Set<string> | undefined {
  if (needles.length === 0) return undefined;
  const tail = readTail(path);
  if (tail === undefined) return undefined;
  const found = new Set<string>();
  const lines = linesFrom(tail, needles);
  if (!lines) return found;
  const chain = chainOf(lines);
  const holder = new Map<string, string[]>();
  for (const [i, entry] of chain.entries.entries()) {
    const line = chain.lines[i] as string;
    if (entry.type !== "user" && !line.includes('"type":"hook_additional_context"')) continue;
    const held = needles.filter((n) => line.includes(n));
    if (held.length > 0) holder.set(entry.uuid, held);
  }
  const ends = chain.entries.filter((e) => e.type === "assistant").map((e) => e.uuid);
  for (const uuid of chain.ancestors(ends)) for (const needle of holder.get(uuid) ?? []) found.add(needle);
  return found;
}

/**
 * The notice text Claude Code queued for each of these tasks, from the tail's `queue-operation` enqueue
 * entries. A notice it tells the model itself, through no hook (a user's or an app's `stop_task`: a
 * "killed" notice), is written there at once, long before any request carries it. Undefined when the
 * transcript cannot be read.
 */
export function queuedNotices(path: unknown, taskIds: readonly string[]): Map<string, string> | undefined {
  if (taskIds.length === 0) return undefined;
  const tail = readTail(path);
  if (tail === undefined) return undefined;
  const found = new Map<string, string>();
  for (const id of taskIds) {
    const needle = `<task-id>${id}</task-id>`;
    for (let at = tail.indexOf(needle); at >= 0 && !found.has(id); ) {
      const start = tail.lastIndexOf(NL, at) + 1;
      const end = lineEnd(tail, at);
      const line = tail.subarray(start, end).toString("utf8");
      at = tail.indexOf(needle, end);
      if (!line.includes('"type":"queue-operation"') || !line.includes('"operation":"enqueue"')) continue;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (typeof entry["content"] === "string" && entry["content"].includes(needle))
          found.set(id, entry["content"]);
      } catch {
        // A line still being written, or cut at the tail's start: the next look reads it whole.
      }
    }
  }
  return found;
}

interface Chain {
  entries: Entry[];
  /** Each entry's line, by the entry's index. */
  lines: string[];
  parentOf: Map<string, string>;
  /** Every entry the given ones descend from, themselves included. */
  ancestors(from: readonly string[]): Set<string>;
}

/** The entries from the first that carries one of these prompts on; undefined if none does. */
function chainFrom(tail: Buffer, promptIds: readonly string[]): Chain | undefined {
  const lines = linesFrom(
    tail,
    promptIds.map((id) => `"promptId":${JSON.stringify(id)}`),
  );
  return lines ? chainOf(lines) : undefined;
}

/**
 * What each request of the session's main conversation sent (its answer's `usage`: input, cache-read and
 * cache-creation tokens; one per message, however many entries Claude Code splits it into), and how long
 * each turn ran (its prompt's first entry to its last answer). Undefined when it cannot be read.
 */
export function transcriptCosts(path: unknown): TranscriptCosts | undefined {
  const tail = readTail(path);
  if (tail === undefined) return undefined;
  const requests: RequestCost[] = [];
  const seen = new Set<string>();
  const turns = new Map<string, { from: number; to?: number }>();
  let turn: string | undefined;
  for (const line of tail.toString("utf8").split("\n")) {
    const isUser = line.includes('"type":"user"');
    if (!isUser && !line.includes('"type":"assistant"')) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isPlainObject(entry) || entry["isSidechain"] === true) continue;
    const at = typeof entry["timestamp"] === "string" ? Date.parse(entry["timestamp"]) : Number.NaN;
    if (!Number.isFinite(at)) continue;
    if (entry["type"] === "user") {
      const promptId = entry["promptId"];
      if (typeof promptId === "string" && !turns.has(promptId)) turns.set(promptId, { from: at });
      if (typeof promptId === "string") turn = promptId;
      continue;
    }
    if (entry["type"] !== "assistant" || !isPlainObject(entry["message"])) continue;
    const message = entry["message"];
    const usage = message["usage"];
    const id = typeof message["id"] === "string" ? message["id"] : String(entry["uuid"]);
    if (turn !== undefined) (turns.get(turn) as { to?: number }).to = at;
    if (!isPlainObject(usage) || seen.has(id)) continue;
    seen.add(id);
    const tokens = ["input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"]
      .map((k) => usage[k])
      .reduce<number>((sum, n) => sum + (typeof n === "number" && Number.isFinite(n) ? n : 0), 0);
    requests.push({ at, inputTokens: tokens });
  }
  const turnsMs = [...turns.values()].flatMap((t) =>
    t.to !== undefined && t.to >= t.from ? [t.to - t.from] : [],
  );
  return { requests, turnsMs };
}

/** Where the newest entries' `version` is looked for: the tail's last MB (a whole large entry, at least). */
const VERSION_WINDOW_BYTES = 1024 * 1024;
const VERSION_KEY = Buffer.from('"version":"');

/**
 * The Claude Code version that wrote the transcript's newest entry (every entry names it, top-level
 * `version`); undefined when the file cannot be read or no whole entry of the tail's last MB names one.
 */
export function transcriptVersion(path: unknown): string | undefined {
  const tail = readTail(path);
  if (tail === undefined) return undefined;
  // Lines that hold the key, newest first, found by a byte search (a transcript without one costs one
  // bounded scan, not a parse per line). The tail's cut first line and a last one still being written
  // fail to parse: a proper suffix or prefix of an object is no JSON.
  const window = tail.subarray(Math.max(0, tail.length - VERSION_WINDOW_BYTES));
  for (let at = window.lastIndexOf(VERSION_KEY); at >= 0; ) {
    const start = window.lastIndexOf(NL, at) + 1;
    const newline = window.indexOf(NL, at);
    const end = newline < 0 ? window.length : newline;
    try {
      const entry: unknown = JSON.parse(window.toString("utf8", start, end));
      const version = isPlainObject(entry) ? entry["version"] : undefined;
      if (typeof version === "string" && /^\d+\.\d+\.\d+/.test(version)) return version;
    } catch {}
    at = start > 0 ? window.lastIndexOf(VERSION_KEY, start - 1) : -1;
  }
  return undefined;
}

const NL = 0x0a;

function lineEnd(tail: Buffer, at: number): number {
  const end = tail.indexOf(NL, at);
  return end < 0 ? tail.length : end;
}

/**
 * The tail's lines from the one that holds the first of these texts on; undefined if none is there.
 * Searched as UTF-8 bytes and decoded from that line only: the same lines as decoding the whole tail
 * first (a valid text's bytes occur exactly where the text does), without decoding megabytes.
 */
function linesFrom(tail: Buffer, texts: readonly string[]): string[] | undefined {
  let from = -1;
  for (const text of texts) {
    const at = tail.indexOf(text);
    if (at >= 0 && (from < 0 || at < from)) from = at;
  }
  if (from < 0) return undefined;
  return tail
    .subarray(tail.lastIndexOf(NL, from) + 1)
    .toString("utf8")
    .split("\n");
}

function chainOf(raw: readonly string[]): Chain {
  const entries: Entry[] = [];
  const lines: string[] = [];
  const parentOf = new Map<string, string>();
  for (const line of raw) {
    const entry = parseEntry(line);
    if (!entry) continue;
    entries.push(entry);
    lines.push(line);
    if (entry.parentUuid) parentOf.set(entry.uuid, entry.parentUuid);
  }
  return {
    entries,
    lines,
    parentOf,
    ancestors(from) {
      const visited = new Set<string>();
      for (const end of from)
        for (let at: string | undefined = end; at && !visited.has(at); at = parentOf.get(at)) visited.add(at);
      return visited;
    },
  };
}

interface Entry {
  uuid: string;
  parentUuid?: string;
  type?: string;
  promptId?: string;
}

function parseEntry(line: string): Entry | undefined {
  if (!line.includes('"uuid"')) return undefined;
  try {
    const e = JSON.parse(line) as Record<string, unknown>;
    if (typeof e["uuid"] !== "string") return undefined;
    return {
      uuid: e["uuid"],
      ...(typeof e["parentUuid"] === "string" ? { parentUuid: e["parentUuid"] } : {}),
      ...(typeof e["type"] === "string" ? { type: e["type"] } : {}),
      ...(typeof e["promptId"] === "string" ? { promptId: e["promptId"] } : {}),
    };
  } catch {
    // The first line of a tail is usually cut, and the last may still be being written.
    return undefined;
  }
}

let lastTail: { file: string; ino: number; size: number; mtimeMs: number; buf: Buffer } | undefined;

/** The file's last TAIL_BYTES, as bytes (its first line is usually cut). */
function readTail(path: unknown): Buffer | undefined {
  const file = safeReadablePath(path);
  if (file === undefined) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const st = fstatSync(fd);
    const size = st.size;
    // One hook may look at the same tail twice (stops, then held notices): an unchanged file is read once.
    if (
      lastTail?.file === file &&
      lastTail.ino === st.ino &&
      lastTail.size === size &&
      lastTail.mtimeMs === st.mtimeMs
    )
      return lastTail.buf;
    const length = Math.min(size, TAIL_BYTES);
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, size - length + got);
      if (n <= 0) break;
      got += n;
    }
    const tail = buf.subarray(0, got);
    lastTail = { file, ino: st.ino, size, mtimeMs: st.mtimeMs, buf: tail };
    return tail;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
