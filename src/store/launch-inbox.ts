// Background shells' launches that hooks/run queued without starting node: one file per launch in
// inbox/ (the PostToolUse input, verbatim, written to a dot-file and renamed into place). Every read
// sees them; the next transaction folds them into the state and removes them once that is committed.
import { readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { queuedShellLaunch } from "../claude/launch.js";
import { recordLaunch } from "../claude/task-tracking.js";
import type { BgState } from "../core/types.js";
import { fsReason } from "./files.js";
import { INBOX_DIR } from "./paths.js";

/** `<tool_use_id>.json`: the launcher writes only names it has checked against this. */
const ENTRY = /^[A-Za-z0-9_-]{1,128}\.json$/;

/** A launcher killed between its write and its rename leaves a dot-file: removed after this long. */
const ORPHAN_AGE_MS = 60_000;

export interface QueuedLaunches {
  /** Entry names, oldest first, for `removeQueued` once what they say is committed. */
  names: string[];
  /** Folds them into `state` (idempotent: a launch already known only adds what it knows). */
  fold(state: BgState): void;
}

const NONE: QueuedLaunches = { names: [], fold: () => undefined };

interface Entry {
  name: string;
  text: string;
  at: number;
}

/** What the inbox holds now. A missing folder holds nothing; an entry that vanished was taken already. */
export function readQueued(dir: string, warnings: string[]): QueuedLaunches {
  let names: string[];
  try {
    names = readdirSync(join(dir, INBOX_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return NONE;
    warnings.push(`bg-notify: cannot read ${join(dir, INBOX_DIR)}: ${fsReason(error)}`);
    return NONE;
  }
  const entries: Entry[] = [];
  for (const name of names) {
    if (!ENTRY.test(name)) continue;
    const path = join(dir, INBOX_DIR, name);
    try {
      // The rename that put it here kept the write's time: when the launch reached the hook.
      const at = statSync(path).mtimeMs;
      entries.push({ name, text: readFileSync(path, "utf8"), at: Math.round(at) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        warnings.push(`bg-notify: cannot read ${path}: ${fsReason(error)}`);
    }
  }
  if (entries.length === 0) return NONE;
  entries.sort((a, b) => a.at - b.at || (a.name < b.name ? -1 : 1));
  return {
    names: entries.map((e) => e.name),
    fold: (state) => {
      for (const entry of entries) {
        const queued = queuedShellLaunch(entry.text);
        if (queued) recordLaunch(state, queued.parent, queued.launch, entry.at);
        else warnings.push(`bg-notify: dropped ${join(dir, INBOX_DIR, entry.name)}: not a background launch`);
      }
    },
  };
}

/** After the commit that folded them in. One that cannot be removed is folded again, harmlessly. */
export function removeQueued(dir: string, names: readonly string[], warnings: string[], now: number): void {
  for (const name of names) {
    try {
      unlinkSync(join(dir, INBOX_DIR, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        warnings.push(`bg-notify: cannot remove ${join(dir, INBOX_DIR, name)}: ${fsReason(error)}`);
    }
  }
  if (names.length > 0) removeOrphans(dir, now);
}

function removeOrphans(dir: string, now: number): void {
  let names: string[];
  try {
    names = readdirSync(join(dir, INBOX_DIR));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(".")) continue;
    const path = join(dir, INBOX_DIR, name);
    try {
      if (now - statSync(path).mtimeMs > ORPHAN_AGE_MS) unlinkSync(path);
    } catch {}
  }
}
