// What hooks/run queued without starting node: one file per input in inbox/, the input verbatim: a
// background shell's launch (`<tool_use_id>.json`) or a typed prompt's turn (`prompt-<prompt_id>.json`).
// Every read of a store given the plugin's fold sees them; its next transaction folds them into the state
// and moves them out once committed. The store owns the files; what an entry means is the plugin's.
import { type Dirent, renameSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { MAX_STDIN_BYTES } from "../claude/hook-input.js";
import { isBgNotifyError } from "../core/errors.js";
import type { BgState } from "../core/types.js";
import { fsReason } from "./files.js";
import { FOLDED_DIR, INBOX_DIR } from "./paths.js";
import { checkDirectory, ensureDirectory, listDirectory, ownFileEntry, readOwnFile } from "./safe-fs.js";

/** The launcher writes only names it has checked against this. */
const ENTRY = /^[A-Za-z0-9_-]{1,128}\.json$/;

/**
 * hooks/run writes an entry in place (a rename would cost it a process): one that does not parse may
 * still be being written (a prefix of a JSON object never parses), and is left alone this long.
 */
const WRITING_MS = 10_000;

/** How queued inputs are read and applied: the plugin's (plugin/inbox-fold.ts), given to the store. */
export interface InboxFold<Entry = unknown> {
  /** The entry a file's text holds, or undefined for one that is not (yet) an input hooks/run queues. */
  parse(text: string): Entry | undefined;
  /** Applies one entry as of `at`; idempotent, as an entry may be folded again until a commit takes it. */
  apply(state: BgState, entry: Entry, at: number): void;
}

export interface QueuedInputs {
  /** Entry names, oldest first, for `removeQueued` once what they say is committed. */
  names: string[];
  /** Folds them into `state`, oldest first (idempotent: a launch already known only adds what it knows). */
  fold(state: BgState): void;
}

const NONE: QueuedInputs = { names: [], fold: () => undefined };

/**
 * Entries this process has parsed, by path. An entry that parses is complete, and its name (a tool use's
 * or a prompt's id) is never written again, so a hook that reads the state several times (its looks, then
 * its transaction) reads and stats each file once (a turn that launched 20 shells leaves 20); the listing
 * still says which are there.
 */
const parsed = new Map<string, { at: number; entry: unknown }>();

/**
 * What the inbox holds now. A missing folder holds nothing; an entry that vanished was taken already.
 * Without a fold (the library's own stores) the inbox is left to the next hook.
 */
export function readQueued(
  dir: string,
  warnings: string[],
  now: number,
  inbox: InboxFold | undefined,
): QueuedInputs {
  if (!inbox) return NONE;
  let names: string[];
  try {
    // Links among the entries are refused here: only regular files are ever read, moved or removed.
    names = listDirectory(join(dir, INBOX_DIR)).map((e) => e.name);
  } catch (error) {
    if (isBgNotifyError(error)) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return NONE;
    warnings.push(`bg-notify: cannot read ${join(dir, INBOX_DIR)}: ${fsReason(error)}`);
    return NONE;
  }
  const prefix = join(dir, INBOX_DIR, "/");
  const entries: { name: string; at: number; entry: unknown }[] = [];
  const dropped: string[] = [];
  for (const name of names) {
    if (!ENTRY.test(name)) continue;
    const path = prefix + name;
    const known = parsed.get(path);
    if (known) {
      entries.push({ name, ...known });
      continue;
    }
    let text: string;
    let at: number;
    try {
      const read = readOwnFile(path, MAX_STDIN_BYTES);
      if (!read) continue;
      // Written once, as the input reached the hook: its time is the launch's, or the prompt's.
      at = Math.round(read.mtimeMs);
      text = read.truncated ? "" : read.text;
    } catch (error) {
      if (isBgNotifyError(error)) throw error;
      warnings.push(`bg-notify: cannot read ${path}: ${fsReason(error)}`);
      continue;
    }
    const entry = inbox.parse(text);
    if (entry !== undefined) {
      entries.push({ name, at, entry });
      parsed.set(path, { at, entry });
    } else if (now - at > WRITING_MS) {
      dropped.push(name);
      warnings.push(`bg-notify: dropped ${path}: not an input hooks/run queues`);
    }
  }
  if (entries.length === 0 && dropped.length === 0) return NONE;
  entries.sort((a, b) => a.at - b.at || (a.name < b.name ? -1 : 1));
  return {
    names: [...entries.map((l) => l.name), ...dropped],
    fold: (state) => {
      for (const { at, entry } of entries) inbox.apply(state, entry, at);
    },
  };
}

/**
 * After the commit that folded them in, inside the lock (an entry left there is folded again, harmlessly,
 * until the next commit takes it): moved to folded/, which no read looks at, for `removeFolded`.
 */
export function removeQueued(dir: string, names: readonly string[], warnings: string[]): void {
  if (names.length === 0) return;
  const folded = join(dir, FOLDED_DIR);
  try {
    ensureDirectory(folded);
  } catch (error) {
    if (isBgNotifyError(error)) throw error;
    // Then each entry is removed instead.
  }
  for (const name of names) {
    const from = join(dir, INBOX_DIR, name);
    try {
      renameSync(from, join(folded, name));
    } catch {
      // Removed instead; one that vanished was taken by another process.
      try {
        unlinkSync(from);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT")
          warnings.push(`bg-notify: cannot remove ${from}: ${fsReason(error)}`);
      }
    }
  }
}

/** Removes the entries `removeQueued` moved aside: from hooks off the user's path (see the hook table). */
export function removeFolded(dir: string, warnings: string[]): void {
  const folded = join(dir, FOLDED_DIR);
  let entries: Dirent[];
  try {
    // Checked again right before: whatever is removed is removed from bg-notify's own directory.
    if (!checkDirectory(folded)) return;
    entries = listDirectory(folded);
  } catch (error) {
    if (isBgNotifyError(error)) throw error;
    warnings.push(`bg-notify: cannot read ${folded}: ${fsReason(error)}`);
    return;
  }
  for (const { name } of entries) {
    const path = join(folded, name);
    try {
      if (!ENTRY.test(name) || !ownFileEntry(path)) continue;
      unlinkSync(path);
    } catch (error) {
      if (isBgNotifyError(error)) throw error;
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        warnings.push(`bg-notify: cannot remove ${path}: ${fsReason(error)}`);
    }
  }
}
