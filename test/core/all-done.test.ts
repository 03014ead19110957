// "All background work done": claimed once, by the completion that leaves nothing running, never before.
import assert from "node:assert/strict";
import test from "node:test";
import { allDoneText, claimAllDone } from "../../src/core/all-done.ts";
import { type BatchLimits, enqueueCompletion } from "../../src/core/batching.ts";
import { createEmptyState, taskKey } from "../../src/core/state.ts";
import type { BgState } from "../../src/core/types.ts";
import { makeTask } from "../fixtures/claude-inputs.ts";

const P = "parent-1";
const LIMITS: BatchLimits = { batchWindowMs: 1000, maxBatchSize: 5 };

function launch(state: BgState, id: string, at: number): void {
  state.tasks[taskKey(P, id)] = { ...makeTask(id, P, "running"), startedAt: at };
}

function finish(state: BgState, id: string, at: number, status: "completed" | "error" = "completed"): void {
  const task = state.tasks[taskKey(P, id)] ?? makeTask(id, P, "running");
  enqueueCompletion(state, { ...task, status, completedAt: at }, at, LIMITS);
}

test("the last of three tasks ending claims the signal, once; the first two do not", () => {
  const state = createEmptyState(0);
  for (const id of ["a", "b", "c"]) launch(state, id, 0);
  finish(state, "a", 1000);
  assert.equal(claimAllDone(state, P, 1000), undefined, "two still run");
  finish(state, "b", 2000, "error");
  assert.equal(claimAllDone(state, P, 2000), undefined, "one still runs");
  finish(state, "c", 3000);
  assert.deepEqual(claimAllDone(state, P, 3000), { tasks: 3, failed: 1 });
  assert.equal(claimAllDone(state, P, 3001), undefined, "claimed: not again");
  assert.equal(allDoneText({ tasks: 3, failed: 1 }), "All background work done: 3 tasks finished, 1 failed.");
  assert.equal(allDoneText({ tasks: 1, failed: 0 }), "All background work done: 1 task finished.");
});

test("new work after a signal earns its own, counting only what ended since", () => {
  const state = createEmptyState(0);
  launch(state, "a", 0);
  finish(state, "a", 1000);
  assert.deepEqual(claimAllDone(state, P, 1000), { tasks: 1, failed: 0 });
  launch(state, "b", 5000);
  launch(state, "c", 5000);
  finish(state, "b", 6000);
  assert.equal(claimAllDone(state, P, 6000), undefined);
  finish(state, "c", 7000);
  assert.deepEqual(claimAllDone(state, P, 7000), { tasks: 2, failed: 0 });
});

test("a session with nothing ended, or another session's work, claims nothing", () => {
  const state = createEmptyState(0);
  assert.equal(claimAllDone(state, P, 1000), undefined);
  launch(state, "a", 0);
  assert.equal(claimAllDone(state, "other", 1000), undefined);
});
