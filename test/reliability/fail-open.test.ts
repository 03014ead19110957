// Fail open: the store fails at each of a hook's calls in turn, in each way a store can fail. A native
// notice is never blocked unless its record is committed; a batch is printed exactly when its claim is.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FAILURE_MODES, failOpen, SCENARIOS } from "./fail-open.ts";

test("a store failing at every step in turn: blocked ⇒ recorded, printed ⇔ claimed, always exit 0", async (t) => {
  const f = await failOpen();
  t.diagnostic(
    `${f.runs} runs: ${SCENARIOS.length} scenarios, ${f.injectionPoints} store calls, each failed ${FAILURE_MODES.length} ways; ` +
      `${f.passedButRecorded} notices passed though recorded (told twice later, never lost)`,
  );
  assert.ok(
    f.injectionPoints >= SCENARIOS.length * 2,
    "the scenarios make too few store calls to test anything",
  );
  assert.equal(f.threw, 0, f.failures.join("\n"));
  assert.equal(f.blockedWithoutRecord, 0, f.failures.join("\n"));
  assert.equal(f.claimedNotPrinted, 0, f.failures.join("\n"));
  assert.equal(f.printedNotClaimed, 0, f.failures.join("\n"));
  assert.equal(f.accidentalExit2, 0, f.failures.join("\n"));
  assert.equal(f.badOutput, 0, f.failures.join("\n"));
});
