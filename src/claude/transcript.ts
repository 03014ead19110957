// Whether Claude Code's transcript of a session (`transcript_path`, JSONL) holds a text in a message of
// the conversation: how a batch the parent's wake-up carried is confirmed received. Reads only the tail.
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
  const file = safeReadablePath(path);
  if (file === undefined || needles.length === 0) return undefined;
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
    const found = new Set<string>();
    for (const line of buf.subarray(0, got).toString("utf8").split("\n")) {
      if (!line.includes('"type":"user"') && !line.includes('"type":"hook_additional_context"')) continue;
      for (const needle of needles) if (line.includes(needle)) found.add(needle);
    }
    return found;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
