// Measuring processes for the benchmarks: wall time of one run, runs paired with a baseline so that a
// noisy machine slows both alike, medians, peak RSS, and state directories restored between runs.

import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { FOLDED_DIR, INBOX_DIR } from "../src/store/paths.ts";
import { runNode } from "../test/spawn.ts";

export interface Command {
  label: string;
  /** Default: this node. */
  program?: string;
  args: string[];
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Runs before each timed run, outside the timing (e.g. restore a state directory). */
  before?: () => void;
  /** Checks a finished run; a returned string is a problem, counted and shown. */
  check?: (run: RunResult) => string | undefined;
}

export interface RunResult {
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runOnce(command: Command): RunResult {
  command.before?.();
  const start = process.hrtime.bigint();
  const r = spawnSync(command.program ?? process.execPath, command.args, {
    input: command.input ?? "",
    env: command.env ?? process.env,
    cwd: command.cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A small deterministic PRNG, so the run order is shuffled the same way every time. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s ^= s + Math.imul(s ^ (s >>> 7), 61);
    return ((s ^ (s >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PairSeries {
  base: Command;
  subject: Command;
  baseTimes: number[];
  times: number[];
  /** subject ÷ base of each round's adjacent pair. */
  ratios: number[];
  problems: string[];
}

/**
 * Each pair's two commands run back to back (which goes first alternates), so a slow spell of a shared
 * machine falls on both; a round runs every pair once, in a fresh shuffled order. The ratio reported is
 * the median of the per-pair ratios. Round 0 is a warm-up (disk cache), not counted.
 */
export function pairedRounds(pairs: readonly [Command, Command][], rounds: number, seed = 1): PairSeries[] {
  const series = pairs.map(([base, subject]) => ({
    base,
    subject,
    baseTimes: [] as number[],
    times: [] as number[],
    ratios: [] as number[],
    problems: [] as string[],
  }));
  const random = prng(seed);
  const checked = (command: Command, s: PairSeries, counted: boolean): number => {
    const run = runOnce(command);
    const problem = counted ? command.check?.(run) : undefined;
    if (problem && s.problems.length < 3) s.problems.push(problem);
    else if (problem && s.problems.at(-1) !== "…") s.problems.push("…");
    return run.ms;
  };
  for (let round = 0; round <= rounds; round++) {
    const order = series.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const [position, index] of order.entries()) {
      const s = series[index] as PairSeries;
      const counted = round > 0;
      let baseMs: number;
      let ms: number;
      if ((round + position) % 2 === 0) {
        baseMs = checked(s.base, s, counted);
        ms = checked(s.subject, s, counted);
      } else {
        ms = checked(s.subject, s, counted);
        baseMs = checked(s.base, s, counted);
      }
      if (!counted) continue;
      s.baseTimes.push(baseMs);
      s.times.push(ms);
      s.ratios.push(ms / baseMs);
    }
  }
  return series;
}

/** Peak resident set size in KiB: from GNU time when present, else reported by the process at exit. */
export function peakRssKb(command: Command, scratchDir: string): number | undefined {
  command.before?.();
  const options = {
    input: command.input ?? "",
    env: command.env ?? process.env,
    cwd: command.cwd,
    encoding: "utf8" as const,
    maxBuffer: 64 * 1024 * 1024,
  };
  if (existsSync("/usr/bin/time")) {
    const r = spawnSync(
      "/usr/bin/time",
      ["-f", "%M", command.program ?? process.execPath, ...command.args],
      options,
    );
    const kb = Number((r.stderr ?? "").trim().split("\n").pop());
    return Number.isFinite(kb) && kb > 0 ? kb : undefined;
  }
  const probe = join(scratchDir, "rss-probe.cjs");
  writeFileSync(
    probe,
    'process.on("exit", () => require("fs").writeSync(2, "\\nbench-maxrss=" + process.resourceUsage().maxRSS + "\\n"));\n',
  );
  const r = spawnSync(process.execPath, ["-r", probe, ...command.args], options);
  const kb = Number(/bench-maxrss=(\d+)/.exec(r.stderr ?? "")?.[1]);
  return Number.isFinite(kb) && kb > 0 ? kb : undefined;
}

/** Runs `count` copies of a command at once; resolves with the wall time from first spawn to last exit. */
export function concurrent(
  count: number,
  make: (i: number) => Command,
): Promise<{ ms: number; runs: RunResult[] }> {
  const commands = Array.from({ length: count }, (_, i) => make(i));
  for (const c of commands) c.before?.();
  const start = process.hrtime.bigint();
  return Promise.all(
    commands.map((c) =>
      runNode(c.args, {
        env: c.env ?? process.env,
        ...(c.cwd !== undefined ? { cwd: c.cwd } : {}),
        input: c.input ?? "",
      }).then(
        (run): RunResult => ({
          ms: Number(process.hrtime.bigint() - start) / 1e6,
          status: run.code,
          stdout: run.stdout,
          stderr: run.stderr,
        }),
      ),
    ),
  ).then((runs) => ({ ms: Number(process.hrtime.bigint() - start) / 1e6, runs }));
}

/** The files of a state directory, to put back before each run so that every run does the same work. */
export type DirSnapshot = Map<string, Buffer>;

export function snapshotDir(dir: string): DirSnapshot {
  const files: DirSnapshot = new Map();
  if (!existsSync(dir)) return files;
  const names = readdirSync(dir);
  for (const sub of [INBOX_DIR, FOLDED_DIR])
    if (existsSync(join(dir, sub)))
      names.push(...readdirSync(join(dir, sub)).map((name) => `${sub}/${name}`));
  for (const name of names) {
    if (name.endsWith(".lock") || name.endsWith(".tmp")) continue;
    try {
      files.set(name, readFileSync(join(dir, name)));
    } catch {
      // a directory (a lock, the inbox) or a file gone meanwhile: not part of the state
    }
  }
  return files;
}

/**
 * The state directory as the store leaves it: its files, and the inbox hooks/run queues launches in.
 * Flushed to disk, as a session's files are once older than the kernel's writeback delay (30 s): a file
 * still only in the page cache is removed far more cheaply (ext4: 0.01 against 0.1–0.3 ms).
 */
export function restoreDir(dir: string, snapshot: DirSnapshot): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, INBOX_DIR), { recursive: true, mode: 0o700 });
  for (const [name, data] of snapshot) {
    if (name.startsWith(`${FOLDED_DIR}/`)) mkdirSync(join(dir, FOLDED_DIR), { recursive: true, mode: 0o700 });
    const fd = openSync(join(dir, name), "w", 0o600);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
