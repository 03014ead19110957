// The flag files hooks/run reads before it starts node: present only while the state says so. A flag is
// removed before a state that breaks it is committed and created only after one that holds it is, so a
// crash in between leaves it missing, and a missing flag only ever makes the launcher start node.
import { lstatSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { type Quietness, quietnessOf } from "../core/quiet.js";
import type { BgState } from "../core/types.js";
import { createOwnFile } from "./safe-fs.js";

/** Names hooks/run knows too (scripts/build.mjs writes them into it). */
export const QUIET_FLAGS = { nothingOwed: "nothing-owed", nothingRunning: "nothing-running" } as const;

type Fact = keyof Quietness;
const FACTS = Object.keys(QUIET_FLAGS) as Fact[];

function remove(dir: string, fact: Fact): void {
  // Not rmSync: on node 20 it loads its rimraf module first (about a millisecond per hook). Asked first,
  // so that an absent flag (the usual case while work runs) costs no exception; any other error throws.
  const path = join(dir, QUIET_FLAGS[fact]);
  if (lstatSync(path, { throwIfNoEntry: false }) === undefined) return;
  try {
    unlinkSync(path);
  } catch (error) {
    // A flag that cannot be removed must stop the commit that breaks it; an absent one is removed.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function create(dir: string, fact: Fact): void {
  // A flag that cannot be created stays missing: the launcher then starts node, which is always right.
  // Never through a link: one already there (EEXIST) is left as it is.
  try {
    createOwnFile(join(dir, QUIET_FLAGS[fact]), "");
  } catch {}
}

/** Before the commit of `state`: drop every flag it breaks. Returns what to create after the commit. */
export function flagsBeforeCommit(dir: string, state: BgState): Fact[] {
  const quiet = quietnessOf(state);
  for (const fact of FACTS) if (!quiet[fact]) remove(dir, fact);
  return FACTS.filter((fact) => quiet[fact]);
}

export function flagsAfterCommit(dir: string, holding: readonly Fact[]): void {
  for (const fact of holding) create(dir, fact);
}

/** A state rebuilt from the logs may say anything: no flag until the next commit sets them. */
export function dropAllFlags(dir: string): void {
  for (const fact of FACTS) remove(dir, fact);
}
