// What hooks/run queued without starting node: one file per input in inbox/, the input verbatim: a
// background shell's launch (`<tool_use_id>.json`) or a typed prompt's turn (`prompt-<prompt_id>.json`).
// Every read sees them; the next transaction folds them into the state and removes them once committed.
import { readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { type QueuedInput, queuedInput } from "../claude/queued-input.js";
import { notePromptTurn, recordLaunch } from "../claude/task-tracking.js";
import type { BgState } from "../core/types.js";
import { fsReason } from "./files.js";
import { INBOX_DIR } from "./paths.js";

/** The launcher writes only names it has checked against this. */
const ENTRY = /^[A-Za-z0-9_-]{1,128}\.json$/;

/**
 * hooks/run writes an entry in place (a rename would cost it a process): one that does not parse may
 * still be being written (a prefix of a JSON object never parses), and is left alone this long.
 */
const WRITING_MS = 10_000;

export interface QueuedInputs {
  /** Entry names, oldest first, for `removeQueued` once what they say is committed. */
  names: string[];
  /** Folds them into `state`, oldest first (idempotent: a launch already known only adds what it knows). */
  fold(state: BgState): void;
}

const NONE: QueuedInputs = { names: [], fold: () => undefined };

/**
 * Entries this process has parsed, by path and time. An entry that parses is complete and is not written
 * again, so a hook that reads the state several times (its looks, then its transaction) parses each file
 * once: a turn that launched 20 shells leaves 20.
 */
const parsed = new Map<string, { at: number; entry: QueuedInput }>();

/** What the inbox holds now. A missing folder holds nothing; an entry that vanished was taken already. */
export function readQueued(dir: string, warnings: string[], now: number): QueuedInputs {
  let names: string[];
  try {
    names = readdirSync(join(dir, INBOX_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return NONE;
    warnings.push(`bg-notify: cannot read ${join(dir, INBOX_DIR)}: ${fsReason(error)}`);
    return NONE;
  }
  const entries: { name: string; at: number; entry: QueuedInput }[] = [];
  const dropped: string[] = [];
  for (const name of names) {
    if (!ENTRY.test(name)) continue;
    const path = join(dir, INBOX_DIR, name);
    let text: string;
    let at: number;
    try {
      // Written once, as the input reached the hook: its time is the launch's, or the prompt's.
      at = Math.round(statSync(path).mtimeMs);
      const known = parsed.get(path);
      if (known?.at === at) {
        entries.push({ name, ...known });
        continue;
      }
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        warnings.push(`bg-notify: cannot read ${path}: ${fsReason(error)}`);
      continue;
    }
    const entry = queuedInput(text);
    if (entry) {
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
      for (const { at, entry } of entries)
        if (entry.kind === "launch") recordLaunch(state, entry.parent, entry.launch, at);
        else notePromptTurn(state, entry.parent, entry.promptId, at);
    },
  };
}

/** After the commit that folded them in. One that cannot be removed is folded again, harmlessly. */
export function removeQueued(dir: string, names: readonly string[], warnings: string[]): void {
  for (const name of names) {
    try {
      unlinkSync(join(dir, INBOX_DIR, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        warnings.push(`bg-notify: cannot remove ${join(dir, INBOX_DIR, name)}: ${fsReason(error)}`);
    }
  }
}
