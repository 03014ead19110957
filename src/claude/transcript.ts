// What Claude Code's transcript of a session (`transcript_path`, JSONL) shows the model was given: a
// text in a message of the conversation (a batch the wake-up carried), or a reply to a prompt's entry
// (a held notice a turn carried). Reads only the tail.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
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
  for (const line of tail.split("\n")) {
    if (!line.includes('"type":"user"') && !line.includes('"type":"hook_additional_context"')) continue;
    for (const needle of needles) if (line.includes(needle)) found.add(needle);
  }
  return found;
}

/**
 * Of these prompts (`prompt_id`s), those whose user entry the model was given in a request that was
 * answered: an assistant entry descends from it (`parentUuid`), so the request that entry answers
 * carried it. (An `api-request` entry written after it is no proof: the file's order is not the
 * request's, and counting on it once left a notice that no request carried without its wake-up.)
 * Undefined when the transcript cannot be read. Only entries from the first of these prompts on are
 * parsed.
 */
export function repliedPrompts(path: unknown, promptIds: readonly string[]): Set<string> | undefined {
  if (promptIds.length === 0) return undefined;
  const tail = readTail(path);
  if (tail === undefined) return undefined;
  let from = -1;
  for (const id of promptIds) {
    const at = tail.indexOf(`"promptId":${JSON.stringify(id)}`);
    if (at >= 0 && (from < 0 || at < from)) from = at;
  }
  const replied = new Set<string>();
  if (from < 0) return replied;
  const wanted = new Set(promptIds);
  const parentOf = new Map<string, string>();
  const promptOf = new Map<string, string>();
  const replies: string[] = [];
  for (const line of tail.slice(tail.lastIndexOf("\n", from) + 1).split("\n")) {
    const entry = parseEntry(line);
    if (!entry) continue;
    if (entry.parentUuid) parentOf.set(entry.uuid, entry.parentUuid);
    if (entry.type === "user" && entry.promptId && wanted.has(entry.promptId))
      promptOf.set(entry.uuid, entry.promptId);
    if (entry.type === "assistant") replies.push(entry.uuid);
  }
  const visited = new Set<string>();
  for (const reply of replies) {
    for (let at: string | undefined = reply; at && !visited.has(at); at = parentOf.get(at)) {
      visited.add(at);
      const prompt = promptOf.get(at);
      if (prompt) replied.add(prompt);
    }
  }
  return replied;
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

function readTail(path: unknown): string | undefined {
  const file = safeReadablePath(path);
  if (file === undefined) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, size - length + got);
      if (n <= 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString("utf8");
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
