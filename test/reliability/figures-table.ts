// The figures table of docs/RELIABILITY.md, written by a full `npm run test:reliability`: re-measuring
// replaces the table between its markers; nothing else of the page is touched.
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";

export const TABLE_BEGIN = "<!-- figures: written by npm run test:reliability; do not edit -->";
export const TABLE_END = "<!-- end of figures -->";

export interface FiguresRun {
  figures: readonly { section: string; text: string; invariant: "held" | "FAILED" | "" }[];
  seed: number;
  seconds: number;
  loadAtStart: number;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ");

export function figuresTable(run: FiguresRun, now = new Date()): string {
  const when = now.toISOString().slice(0, 16).replace("T", " ");
  const load = `${run.loadAtStart.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}`;
  const lines = [
    TABLE_BEGIN,
    "",
    `Seed ${run.seed}, the shipped hooks, node ${process.version}, ${availableParallelism()} CPUs, ` +
      `1-minute load ${load}, ${run.seconds} s, ${when} UTC.`,
    "",
    "| section | figure | invariant |",
    "| --- | --- | --- |",
  ];
  let last = "";
  for (const f of run.figures) {
    lines.push(`| ${f.section === last ? "" : cell(f.section)} | ${cell(f.text)} | ${f.invariant} |`);
    last = f.section;
  }
  lines.push("", TABLE_END);
  return lines.join("\n");
}

/** Replaces the table in `path` (which must carry both markers). */
export function writeFiguresTable(path: string, run: FiguresRun): void {
  const page = readFileSync(path, "utf8");
  const begin = page.indexOf(TABLE_BEGIN);
  const end = page.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`${path} has no figures markers`);
  writeFileSync(path, page.slice(0, begin) + figuresTable(run) + page.slice(end + TABLE_END.length));
}
