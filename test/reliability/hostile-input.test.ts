// Hostile stdin for every hook (not JSON, wrong types, 10 MB strings, deep nesting, invalid UTF-8, NUL
// bytes, hostile notices) and hostile ids and paths: never an accidental exit 2, never a stack trace,
// stdout empty or JSON, memory bounded, and no file outside the state directory.
// `npm run test:reliability` runs 2,000 payloads per hook; this runs 100.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzInProcess, fuzzProcesses } from "./fuzz.ts";
import { tempTree } from "./harness.ts";
import { hostilePaths } from "./paths.ts";

test("100 fuzzed payloads per hook through the runtime: no exit 2, no stack trace, stdout JSON or empty", async (t) => {
  const tree = tempTree("fuzz");
  try {
    const f = await fuzzInProcess(tree, 100, 7);
    t.diagnostic(
      `${f.payloads} payloads ${JSON.stringify(f.byKind)}; ${f.rewakeDeliveries} genuine rewake deliveries; peak RSS ${Math.round(f.peakRssMb)} MB`,
    );
    assert.equal(f.threw, 0, f.samples.join("\n"));
    assert.equal(f.accidentalExit2, 0, f.samples.join("\n"));
    assert.equal(f.stackTraces, 0, f.samples.join("\n"));
    assert.equal(f.invalidStdout, 0, f.samples.join("\n"));
    assert.ok(f.listingsChecked > 0, "no fuzzed Stop left a background_tasks list to check against");
    assert.equal(f.runningButUnlisted, 0, f.samples.join("\n"));
    assert.ok((f.byKind["big-string"] ?? 0) > 0, "no 10 MB payload was generated");
    assert.ok(f.peakRssMb < 1024, `peak RSS ${f.peakRssMb} MB`);
  } finally {
    tree.cleanup();
  }
});

test("real hook processes: fuzzed, 10 MB and over-the-cap stdin exit 0 with bounded memory", async (t) => {
  const tree = tempTree("fuzzp");
  try {
    const f = await fuzzProcesses(tree, 2, 9);
    t.diagnostic(`${f.payloads} processes; peak child RSS ${Math.round(f.peakChildRssMb)} MB`);
    assert.equal(f.crashedProcesses, 0, f.samples.join("\n"));
    assert.equal(f.accidentalExit2, 0, f.samples.join("\n"));
    assert.equal(f.stackTraces, 0, f.samples.join("\n"));
    assert.equal(f.invalidStdout, 0, f.samples.join("\n"));
    if (f.peakChildRssMb > 0) assert.ok(f.peakChildRssMb < 512, `${f.peakChildRssMb} MB`);
  } finally {
    tree.cleanup();
  }
});

test("ids and paths with ../, absolute paths and NUL through every hook: no file outside the state directory", async (t) => {
  const f = await hostilePaths(false);
  t.diagnostic(`${f.runs} hook runs`);
  assert.deepEqual(f.outside, []);
  assert.deepEqual(f.strangeInStateDir, []);
  assert.equal(f.badRuns, 0);
});
