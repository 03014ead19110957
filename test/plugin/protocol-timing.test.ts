// The protocol's timing constants and the invariants between them (docs/DESIGN.md, "Timing constants"):
// each row of that table that states an invariant is checked here, so a change to one constant that
// breaks another's reason fails.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_HOLD_MS } from "../../src/core/config.ts";
import {
  DEFER_MS,
  ECHO_QUEUED_AFTER_MS,
  NOTICES_QUIET_MS,
  QUIET_WAIT_MAX_MS,
  REWAKE_MAX_WAIT_MS,
  WAKE_ANSWER_WAIT_MS,
  WAKE_UP_PENDING_MS,
} from "../../src/core/protocol.ts";
import { HOOK_TABLE, hookSpec } from "../../src/plugin/hook-table.ts";
import { LOCK_STALE_MS, LOCK_UPDATE_MS, LOCK_WAIT_BUDGET_MS } from "../../src/store/lock.ts";

/** Measured with Claude Code 2.1.332 (docs/DESIGN.md, "Timing constants"): what the constants are chosen against. */
// The largest gap between two notices of one burst screened by Claude Code: 330 ms idle, 593 and 742 ms
// with two busy loops on this machine's two cores (tui:ten-shells-draft, 24 runs).
const BURST_GAP_MAX_MS = 742;
const ECHO_QUEUED_MIN_MS = 40;
const SESSION_END_BUDGET_MS = 1500;

test("a hold for siblings never outlasts the rewake that would wake the parent for it", () => {
  assert.ok(MAX_HOLD_MS <= REWAKE_MAX_WAIT_MS);
  const rewake = hookSpec("rewake");
  assert.ok(REWAKE_MAX_WAIT_MS < rewake.deadlineMs, "the rewake gives up waiting before its deadline");
  assert.ok(QUIET_WAIT_MAX_MS < REWAKE_MAX_WAIT_MS);
});

test("every hook gives up (and passes) before Claude Code's timeout kills it", () => {
  for (const spec of HOOK_TABLE) assert.ok(spec.deadlineMs < spec.timeoutS * 1000, spec.name);
  assert.ok(hookSpec("session-end").deadlineMs < SESSION_END_BUDGET_MS, "SessionEnd hooks share 1.5 s");
});

test("the rewake claims in a pause longer than any gap inside a burst of notices", () => {
  assert.ok(NOTICES_QUIET_MS > BURST_GAP_MAX_MS);
  assert.ok(NOTICES_QUIET_MS < QUIET_WAIT_MAX_MS, "a pause can be found before the wait gives up");
});

test("a notice is held only while the wake-up's echo cannot have been queued yet", () => {
  assert.ok(ECHO_QUEUED_AFTER_MS < ECHO_QUEUED_MIN_MS);
  assert.equal(
    WAKE_ANSWER_WAIT_MS,
    WAKE_UP_PENDING_MS,
    "a wake-up on its way is awaited as long as it counts",
  );
  assert.ok(
    DEFER_MS < hookSpec("user-prompt-submit").deadlineMs,
    "the sync hook decides before its deadline",
  );
});

test("the lock: refreshed before it goes stale, waited for past a dead holder, within every deadline", () => {
  assert.ok(LOCK_UPDATE_MS < LOCK_STALE_MS);
  assert.ok(LOCK_WAIT_BUDGET_MS > LOCK_STALE_MS, "a waiter outlasts a killed holder's lock");
  // A killed holder's lock is taken over within its stale time plus one refresh (a new lock's first
  // stamp is rounded up to the next second: 2.8–2.9 s measured); every hook that waits lasts longer.
  for (const spec of HOOK_TABLE)
    if (spec.lockRetries === undefined)
      assert.ok(LOCK_STALE_MS + LOCK_UPDATE_MS < spec.deadlineMs, spec.name);
});
