// Waiting for siblings (opt-in): the one due rule over plain state, and what the notice says it waited for.
import assert from "node:assert/strict";
import test from "node:test";
import { type BatchLimits, batchDueAt, enqueueCompletion } from "../../src/core/batching.ts";
import { DEFAULT_CONFIG, limitsFrom, resolveConfig } from "../../src/core/config.ts";
import { claimDeliveries } from "../../src/core/delivery.ts";
import { createEmptyState, taskKey } from "../../src/core/state.ts";
import type { BackgroundTask, BgState } from "../../src/core/types.ts";
import { makeTask } from "../fixtures/claude-inputs.ts";

const P = "parent-1";
const WINDOW = 1000;
const HOLD: BatchLimits = {
  batchWindowMs: WINDOW,
  maxBatchSize: 5,
  hold: { waitForSiblings: true, maxHoldMs: 60_000, wakeOnFailure: true },
};

function launched(state: BgState, id: string, turnId: string, extra: Partial<BackgroundTask> = {}) {
  state.tasks[taskKey(P, id)] = makeTask(id, P, "running", { turnId, ...extra });
}

function finish(state: BgState, id: string, at: number, status: "completed" | "error" = "completed") {
  const task = state.tasks[taskKey(P, id)] as BackgroundTask;
  return enqueueCompletion(state, { ...task, status, completedAt: at }, at, HOLD);
}

test("a batch waits while a task of the same turn runs, up to maxHoldMs; then as the window says", () => {
  const state = createEmptyState(0);
  for (const id of ["b1", "b2", "b3", "b4"]) launched(state, id, "turn-1");
  finish(state, "b1", 2000);
  const batch = () => state.batches[0] as BgState["batches"][number];
  assert.equal(batchDueAt(batch(), HOLD, state), 2000 + 60_000, "held, up to the ceiling");
  assert.equal(batchDueAt(batch(), HOLD), 2000 + WINDOW, "without the state (or the opt-in): the window");
  assert.equal(batchDueAt(batch(), { batchWindowMs: WINDOW, maxBatchSize: 5 }, state), 3000);
  finish(state, "b2", 9000);
  finish(state, "b3", 17_000);
  assert.equal(batch().items.length, 3, "siblings join the held batch");
  finish(state, "b4", 25_000);
  assert.equal(batchDueAt(batch(), HOLD, state), 3000, "the last sibling ended: due at once");
  const [delivery] = claimDeliveries(state, 25_000, HOLD, "test", { via: "rewake", force: false });
  assert.match(
    delivery?.text ?? "",
    /4 background tasks finished: 4 completed · none still running · all 4 of this turn's tasks finished/,
  );
});

test("a failure is told at the end of the ordinary window, whatever still runs (wakeOnFailure)", () => {
  const state = createEmptyState(0);
  for (const id of ["b1", "b2", "b3"]) launched(state, id, "turn-1");
  finish(state, "b1", 2000);
  finish(state, "b2", 9000, "error");
  const batch = state.batches[0] as BgState["batches"][number];
  assert.equal(batchDueAt(batch, HOLD, state), 2000 + WINDOW, "the window has passed: due at once");
  const noWake = {
    ...HOLD,
    hold: { ...(HOLD.hold as NonNullable<BatchLimits["hold"]>), wakeOnFailure: false },
  };
  assert.equal(batchDueAt(batch, noWake, state), 62_000);
  const [delivery] = claimDeliveries(state, 10_000, HOLD, "test", { via: "rewake", force: false });
  assert.match(delivery?.text ?? "", /1 still running · 2 of this turn's 3 tasks finished/);
});

test("work of an earlier turn, a subagent's own shell and a slot never hold a batch", () => {
  const state = createEmptyState(0);
  launched(state, "dev-server", "turn-0");
  launched(state, "b1", "turn-1");
  launched(state, "sub-shell", "turn-1", { ownerAgentId: "agent-1" });
  state.slots = {
    [taskKey(P, "toolu_x")]: {
      parentSessionId: P,
      toolUseId: "toolu_x",
      tier: "opus",
      description: "a",
      at: 0,
    },
  };
  finish(state, "b1", 2000);
  assert.equal(batchDueAt(state.batches[0] as BgState["batches"][number], HOLD, state), 3000);
});

test("a task that stops by another path (TaskStop, reconcile) stops being a sibling", () => {
  const state = createEmptyState(0);
  launched(state, "b1", "turn-1");
  launched(state, "b2", "turn-1");
  finish(state, "b1", 2000);
  const batch = state.batches[0] as BgState["batches"][number];
  assert.equal(batchDueAt(batch, HOLD, state), 62_000);
  (state.tasks[taskKey(P, "b2")] as BackgroundTask).status = "cancelled";
  assert.equal(batchDueAt(batch, HOLD, state), 3000);
});

test("the configuration: off by default; file keys and variables; the hold is capped by the rewake's wait", () => {
  assert.equal(DEFAULT_CONFIG.waitForSiblings, false);
  assert.equal(limitsFrom(DEFAULT_CONFIG).hold, undefined);
  const file = resolveConfig(
    JSON.stringify({ waitForSiblings: true, maxHoldMs: 20_000, wakeOnFailure: false }),
    {},
  );
  assert.deepEqual(file.warnings, []);
  assert.deepEqual(limitsFrom(file.config).hold, {
    waitForSiblings: true,
    maxHoldMs: 20_000,
    wakeOnFailure: false,
  });
  const env = resolveConfig(undefined, { BG_NOTIFY_WAIT_FOR_SIBLINGS: "1", BG_NOTIFY_MAX_HOLD_MS: "5000" });
  assert.equal(env.config.waitForSiblings, true);
  assert.equal(env.config.maxHoldMs, 5000);
  const bad = resolveConfig(JSON.stringify({ maxHoldMs: 600_000 }), { BG_NOTIFY_WAIT_FOR_SIBLINGS: "maybe" });
  assert.equal(bad.config.maxHoldMs, 60_000);
  assert.equal(bad.warnings.length, 2);
});
