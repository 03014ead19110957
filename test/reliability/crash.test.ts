// kill -9 at random points of record, claim and deliver, across concurrent hook processes: no state is
// left unparsable, nothing is told twice, and every completion is delivered, still owed, or passed to the
// parent natively — except inside the one documented window (a claim committed by a process killed
// before it exited), which is counted and must be the only way anything goes missing.
// `npm run test:reliability` runs 500 rounds; this runs 100 smaller ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import { HOOK_TABLE } from "../../src/plugin/hook-table.ts";
import { runCrashRounds } from "./crash-rounds.ts";

const SEED = Number(process.env["BG_NOTIFY_RELIABILITY_SEED"] ?? 6);

test("100 rounds of SIGKILL across concurrent hooks: nothing unparsable, lost or duplicated", {
  timeout: 600_000,
}, async (t) => {
  const figures = await runCrashRounds({ rounds: 100, seed: SEED, maxTasks: 2, maxExtras: 1 });
  t.diagnostic(
    `seed ${SEED}: ${figures.processes} processes, ${figures.killed} killed, ${figures.completions} completions; ` +
      `${figures.deliveredByHooks} delivered by hooks, ${figures.deliveredByFinalFlush} still owed at the end, ` +
      `${figures.passedNatively} passed natively (${figures.toldTwiceNativeAndBatch} of them also in a batch); ` +
      `lost ${figures.lostCompletions} (all in the claim window: ${figures.lostInClaimWindow}), duplicated ${figures.duplicatedCompletions}, ` +
      `claimed-but-not-received ${figures.claimedNotReceived} (${figures.claimedNotReceivedKilled} by a killed claimant)`,
  );
  assert.ok(figures.killed > 50, `too few kills to mean anything: ${figures.killed}`);
  assert.equal(figures.unparsableStates, 0, "a state.json did not parse");
  assert.ok(figures.listingsChecked > 0, "no round reconciled a background_tasks list");
  for (const spec of HOOK_TABLE)
    assert.ok((figures.processesByHook[spec.name] ?? 0) > 0, `the crash rounds never ran ${spec.name}`);
  assert.equal(
    figures.runningButUnlisted,
    0,
    `counted running, not listed: ${figures.failingRounds.join(", ")}`,
  );
  assert.equal(figures.quarantines, 0, "a hook quarantined state.json");
  assert.equal(figures.badOutputs, 0, figures.badOutputSamples.join("\n"));
  assert.equal(figures.duplicatedCompletions, 0, `duplicates in ${figures.failingRounds.join(", ")}`);
  assert.equal(figures.flushFailures, 0, "the final flush left something owed");
  // A claim is committed just before its process prints and exits; only a kill in that window may
  // lose a batch, and then its claimant must be one of the processes we killed.
  assert.equal(
    figures.claimedNotReceived,
    figures.claimedNotReceivedKilled,
    "a claim was lost without a kill",
  );
  assert.equal(
    figures.lostCompletions,
    figures.lostInClaimWindow,
    `lost outside the claim window: ${figures.lostTaskIds.join(", ")} in ${figures.failingRounds.join(", ")}`,
  );
});
