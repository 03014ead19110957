// `npm run test:reliability`: the full-size reliability runs (npm test runs bounded versions of the
// same code, test/reliability/*.test.ts), printed as figures. Exit 1 if any invariant fails.
//   --only crash,window,locks,damage,input,paths,notice,failopen   run some sections
//   --seed N      seed for every generator (default 1)
//   --quick       a tenth of the sizes, for a smoke run
//   --no-write    a full run that leaves docs/RELIABILITY.md as it is
// BG_NOTIFY_RELIABILITY_HOOKS_DIR=<dir> runs another build's hooks (a before/after comparison).
// A full run of every section on the shipped hooks rewrites the figures table of docs/RELIABILITY.md.
import { loadavg } from "node:os";
import { join } from "node:path";
import { runClaimWindowProbe } from "./claim-window.ts";
import { runCrashRounds } from "./crash-rounds.ts";
import { DAMAGE, damagedState, fullDisk, readOnlyDir } from "./damage-scenarios.ts";
import { failOpen } from "./fail-open.ts";
import { writeFiguresTable } from "./figures-table.ts";
import { fuzzInProcess, fuzzProcesses } from "./fuzz.ts";
import { HOOKS_SOURCE, median, REPO_ROOT, SHIPPED_HOOKS, tempTree } from "./harness.ts";
import { concurrentHooks, killedHolderTakeover, staleTakeoverRace } from "./lock-scenarios.ts";
import { noticeProperties } from "./notice-props.ts";
import { hostilePaths } from "./paths.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const seed = Number(value("seed") ?? 1);
const scale = flag("quick") ? 0.1 : 1;
const only = value("only")?.split(",");
const size = (n: number) => Math.max(1, Math.round(n * scale));
const wanted = (section: string) => !only || only.includes(section);

let failed = 0;
/** Every figure printed, by section, for the table a full run writes into docs/RELIABILITY.md. */
const figures: { section: string; text: string; invariant: "held" | "FAILED" | "" }[] = [];
let section = "";
const out = (line = "") => {
  process.stdout.write(`${line}\n`);
  if (line.startsWith("\n## ")) section = line.slice(4).split(":")[0] ?? "";
  else if (line.startsWith("  ") && section) figures.push({ section, text: line.trim(), invariant: "" });
};
const check = (ok: boolean, what: string) => {
  if (!ok) failed++;
  process.stdout.write(`  ${ok ? "ok  " : "FAIL"} ${what}\n`);
  figures.push({ section, text: what.trim(), invariant: ok ? "held" : "FAILED" });
};
const ms = (n: number) => `${Math.round(n)} ms`;
const progress = (text: string) => process.stderr.write(`\r${text}\x1b[K`);

const started = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
out(`bg-notify reliability — seed ${seed}${scale < 1 ? " (quick)" : ""}; hooks from ${HOOKS_SOURCE}`);
out(`node ${process.version}, ${new Date().toISOString()}`);

if (wanted("crash")) {
  const rounds = size(500);
  out(`\n## Crashes: ${rounds} rounds of SIGKILL at random points across concurrent hooks`);
  const start = performance.now();
  const f = await runCrashRounds({
    rounds,
    seed,
    onProgress: (n, g) =>
      progress(
        `crash round ${n}/${rounds}: lost ${g.lostCompletions}, duplicated ${g.duplicatedCompletions}`,
      ),
  });
  progress("");
  out(
    `  ${f.processes} hook processes, ${f.killed} killed (${JSON.stringify(f.killedByHook)}), ${f.completions} completions, ${Math.round((performance.now() - start) / 1000)} s`,
  );
  out(
    `  delivered by a hook that exited normally: ${f.deliveredByHooks}; still owed, delivered by the final flush: ${f.deliveredByFinalFlush}`,
  );
  out(
    `  passed to the parent natively (sync hook killed, or a wake-up on its way): ${f.passedNatively}, of which also delivered in a batch: ${f.toldTwiceNativeAndBatch}`,
  );
  out(
    `  claims committed whose text no consumer received: ${f.claimedNotReceived} (claimant killed: ${f.claimedNotReceivedKilled})`,
  );
  check(f.unparsableStates === 0, `unparsable states: ${f.unparsableStates}`);
  check(
    f.runningButUnlisted === 0,
    `tasks counted running that Claude Code's last list did not hold: ${f.runningButUnlisted} (${f.listingsChecked} lists checked)`,
  );
  check(f.duplicatedCompletions === 0, `duplicated deliveries: ${f.duplicatedCompletions}`);
  check(
    f.lostCompletions === f.lostInClaimWindow,
    `lost completions: ${f.lostCompletions} (all in the claim window: ${f.lostInClaimWindow}) ${f.lostTaskIds.join(" ")}`,
  );
  check(
    f.badOutputs === 0,
    `bad outputs (stdout not JSON, stack trace, wrong exit): ${f.badOutputs} ${f.badOutputSamples.slice(0, 2).join(" | ")}`,
  );
  check(f.flushFailures === 0, `final flushes that left something owed: ${f.flushFailures}`);
  if (f.failingRounds.length > 0) out(`  rounds to look at: ${f.failingRounds.slice(0, 10).join(", ")}`);
}

if (wanted("window")) {
  const trials = size(500);
  out(`\n## The claim window: ${trials} claiming rewakes killed at a random moment around their end`);
  const f = await runClaimWindowProbe({ trials, seed });
  out(
    `  median life of a claiming rewake ${ms(f.medianLifeMs)}; kills spread over ${ms(f.spanMs)} before its end`,
  );
  out(
    `  killed before the claim: ${f.killedBeforeClaim} (still owed), exited with the batch: ${f.delivered}, lost: ${f.lost}`,
  );
  out(`  estimated window (claim committed, process not yet exited): ${f.windowMs.toFixed(2)} ms`);
}

if (wanted("locks")) {
  out("\n## Locks");
  const kills: number[] = [];
  const hooks: number[] = [];
  let recorded = 0;
  const n = Math.max(2, size(5));
  for (let i = 0; i < n; i++) {
    const f = await killedHolderTakeover();
    kills.push(f.lockWaitMs);
    hooks.push(f.hookMs);
    if (f.recorded && f.hookBlocked && f.hookExitCode === 0) recorded++;
  }
  out(
    `  holder killed with SIGKILL: lock free again after ${ms(Math.min(...kills))}–${ms(Math.max(...kills))} (median ${ms(median(kills))}); ` +
      `the next hook done after ${ms(median(hooks))} (median)`,
  );
  check(recorded === n, `the next hook recorded and blocked its notice: ${recorded}/${n}`);
  for (let i = 0; i < Math.max(1, size(3)); i++) {
    const f = await concurrentHooks(32);
    out(
      `  32 hooks at once: worst ${Math.round(f.worstShareOfTimeout * 100)}% of its timeout, p95 ${ms(f.p95Ms)}, max ${JSON.stringify(f.maxMsByHook)}`,
    );
    check(
      f.overTimeout === 0 && f.badExits === 0,
      `over their hooks.json timeout: ${f.overTimeout}; bad exits: ${f.badExits}`,
    );
    check(
      f.lost === 0 && f.duplicated === 0,
      `lost ${f.lost}, duplicated ${f.duplicated} of ${f.completions}`,
    );
  }
  for (let i = 0; i < Math.max(1, size(3)); i++) {
    const f = await staleTakeoverRace();
    check(
      f.thirdKeptOut === "ELOCKED" && f.rerunAfterSuccessor && f.recordedTimes === 1 && f.successorKept,
      `stale takeover staged (holder stopped in its transaction, resumed under its successor): third process ${f.thirdKeptOut}, redone after the successor: ${f.rerunAfterSuccessor}, recorded ${f.recordedTimes}×, successor's change kept: ${f.successorKept}`,
    );
  }
  const rounds = size(20);
  const g = await runCrashRounds({
    rounds,
    seed: seed + 100,
    action: "stall",
    killChance: 0.3,
    maxTasks: 4,
    maxExtras: 2,
  });
  out(
    `  ${g.stalled} hooks stopped (SIGSTOP) at random points for 2.6 s (past the 2 s stale time) over ${rounds} rounds, ${g.completions} completions`,
  );
  check(
    g.lostCompletions === 0 &&
      g.duplicatedCompletions === 0 &&
      g.unparsableStates === 0 &&
      g.claimedNotReceived === 0,
    `lost ${g.lostCompletions}, duplicated ${g.duplicatedCompletions}, unparsable ${g.unparsableStates}, claimed-not-received ${g.claimedNotReceived}`,
  );
}

if (wanted("damage")) {
  out("\n## State damage");
  for (const kind of Object.keys(DAMAGE)) {
    const r = await damagedState(kind);
    check(
      r.hook.clean &&
        r.hook.warningLines.length === 1 &&
        r.recovered.length === 2 &&
        r.redelivered.length === 0,
      `${kind}: exit ${r.hook.exitCode}, ${r.hook.warningLines.length} warning line, owed recovered ${r.recovered.length}/2, told again ${r.redelivered.length}`,
    );
  }
  for (const [name, run] of [
    ["read-only state directory", readOnlyDir],
    ["full disk", fullDisk],
  ] as const) {
    const r = await run();
    if (r.method.startsWith("skipped")) {
      out(`  ${name}: ${r.method}`);
      continue;
    }
    const clean = r.hooks.every((h) => h.clean && h.exitCode !== 2 && h.warningLines.length <= 1);
    check(
      clean && r.noticePassed && r.owedDelivered.sort().join() === "t1,t2" && r.leftoverTempFiles === 0,
      `${name} (${r.method}): ${r.hooks.length} hooks exit 0 with ≤ 1 line each: ${clean}; unrecorded notice passed: ${r.noticePassed}; owed delivered after: ${r.owedDelivered.join(",")}`,
    );
  }
}

if (wanted("input")) {
  const count = size(2000);
  out(`\n## Hostile input: ${count} payloads per hook in-process, plus real processes`);
  const tree = tempTree("fuzz");
  try {
    const start = performance.now();
    const f = await fuzzInProcess(tree, count, seed);
    out(
      `  ${f.payloads} payloads in ${Math.round((performance.now() - start) / 1000)} s: ${JSON.stringify(f.byKind)}`,
    );
    out(
      `  genuine rewake deliveries (valid notices among them): ${f.rewakeDeliveries}; peak RSS of the fuzzing process ${Math.round(f.peakRssMb)} MB`,
    );
    check(f.accidentalExit2 === 0, `accidental exit 2: ${f.accidentalExit2}`);
    check(f.stackTraces === 0, `stack traces: ${f.stackTraces}`);
    check(
      f.invalidStdout === 0 && f.threw === 0,
      `stdout neither empty nor JSON: ${f.invalidStdout}; runtime threw: ${f.threw}`,
    );
    check(
      f.runningButUnlisted === 0 && f.listingsChecked > 0,
      `counted running, not listed: ${f.runningButUnlisted} (${f.listingsChecked} lists checked)`,
    );
    const p = await fuzzProcesses(tree, size(20), seed);
    out(
      `  ${p.payloads} real processes (incl. 10 MB and 17 MB stdin per hook): peak RSS of one hook ${Math.round(p.peakChildRssMb)} MB`,
    );
    check(
      p.crashedProcesses === 0 && p.accidentalExit2 === 0 && p.stackTraces === 0 && p.invalidStdout === 0,
      `crashed ${p.crashedProcesses}, accidental exit 2 ${p.accidentalExit2}, stack traces ${p.stackTraces}, bad stdout ${p.invalidStdout}`,
    );
  } finally {
    tree.cleanup();
  }
}

if (wanted("paths")) {
  out("\n## Paths: hostile ids and paths through every hook");
  const f = await hostilePaths();
  check(
    f.outside.length === 0 && f.strangeInStateDir.length === 0 && f.badRuns === 0,
    `${f.runs} runs: files outside the state directory ${f.outside.length}, strange files in it ${f.strangeInStateDir.length}, bad runs ${f.badRuns}`,
  );
}

if (wanted("notice")) {
  const count = size(300);
  out(`\n## The notice: ${count} random hostile batches`);
  const f = await noticeProperties(count, seed);
  out(
    `  ${f.tasks} tasks (largest batch ${f.maxTasks}); longest notice ${f.longestNotice} characters; longest joined hook output ${f.longestJoinedOutput}`,
  );
  check(
    f.failures.length === 0,
    `over the cap, unaccounted, or unfenced: ${f.failures.length} ${f.failures.slice(0, 3).join(" | ")}`,
  );
}

if (wanted("failopen")) {
  out("\n## Fail open: the store failing at each step in turn");
  const f = await failOpen();
  out(
    `  ${f.runs} runs over ${f.injectionPoints} store calls; ${f.passedButRecorded} notices passed though recorded (told twice, never lost)`,
  );
  check(
    f.blockedWithoutRecord === 0,
    `notices blocked without a committed record: ${f.blockedWithoutRecord}`,
  );
  check(
    f.claimedNotPrinted === 0 && f.printedNotClaimed === 0,
    `claimed but not printed: ${f.claimedNotPrinted}; printed but not claimed: ${f.printedNotClaimed}`,
  );
  check(
    f.accidentalExit2 === 0 && f.badOutput === 0 && f.threw === 0,
    `exit 2 ${f.accidentalExit2}, bad output ${f.badOutput}, threw ${f.threw}`,
  );
}

out(`\n${failed === 0 ? "all invariants held" : `${failed} invariant(s) failed`}`);
if (!only && scale === 1 && !flag("no-write") && HOOKS_SOURCE === SHIPPED_HOOKS) {
  writeFiguresTable(join(REPO_ROOT, "docs", "RELIABILITY.md"), {
    figures,
    seed,
    seconds: Math.round((performance.now() - started) / 1000),
    loadAtStart,
  });
  out("docs/RELIABILITY.md: figures table rewritten");
}
process.exit(failed === 0 ? 0 : 1);
