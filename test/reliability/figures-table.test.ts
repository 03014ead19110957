// The figures table a full reliability run writes: it replaces what lies between its markers and
// nothing else, escapes what would break a table, and refuses a page without markers.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../helpers.ts";
import { TABLE_BEGIN, TABLE_END, writeFiguresTable } from "./figures-table.ts";

const run = (text: string) => ({
  figures: [
    { section: "Crashes", text, invariant: "held" as const },
    { section: "Crashes", text: "4 hook processes", invariant: "" as const },
    { section: "Locks", text: "lost 0", invariant: "FAILED" as const },
  ],
  seed: 3,
  seconds: 12,
  loadAtStart: 1,
});

test("a re-measurement rewrites the table in place and keeps the rest of the page", (t) => {
  const page = join(tempDir(t, "figures"), "RELIABILITY.md");
  writeFileSync(page, `# Title\n\nbefore\n\n${TABLE_BEGIN}\nold | table\n${TABLE_END}\n\nafter\n`);
  writeFiguresTable(page, run("lost 0 | a | b"));
  writeFiguresTable(page, run("lost 1"));
  const text = readFileSync(page, "utf8");
  assert.ok(text.startsWith("# Title\n\nbefore\n\n"));
  assert.ok(text.endsWith(`${TABLE_END}\n\nafter\n`));
  assert.equal(text.split(TABLE_BEGIN).length, 2, "one table, not appended");
  assert.ok(!text.includes("old | table") && !text.includes("lost 0 \\| a"));
  assert.match(
    text,
    /\| Crashes \| lost 1 \| held \|\n\| {2}\| 4 hook processes \| {2}\|\n\| Locks \| lost 0 \| FAILED \|/,
  );
  assert.match(text, /^Seed 3, the shipped hooks, node v\d+/m);
  writeFiguresTable(page, run("x | y"));
  assert.match(readFileSync(page, "utf8"), /\| x \\\| y \|/);
  writeFileSync(page, "# no markers\n");
  assert.throws(() => writeFiguresTable(page, run("x")), /no figures markers/);
});
