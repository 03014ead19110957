// The protocol's two decisions over plain data: what becomes of an arriving completion notice, and the
// window timer's next step. Each case builds the state a session would have and reads the answer.
import assert from "node:assert/strict";
import { test } from "node:test";
import { claimBatches, enqueueCompletion } from "../../src/core/batching.ts";
import {
  afterLostClaim,
  decideArrival,
  ECHO_QUEUED_AFTER_MS,
  NOTICES_QUIET_MS,
  nextTimerStep,
  POLL_MS,
  QUIET_WAIT_MAX_MS,
  type TimerView,
  WAKE_UP_PENDING_MS,
} from "../../src/core/protocol.ts";
import { completionKey, createEmptyState } from "../../src/core/state.ts";
import { batchMarker } from "../../src/core/summary.ts";
import type { BgState } from "../../src/core/types.ts";
import { finishedTask } from "../helpers.ts";

const S = "session-1";
const LIMITS = { batchWindowMs: 1000, maxBatchSize: 5 };
const T0 = 1_700_000_000_000;

function held(state: BgState, id: string, at: number): string {
  const task = finishedTask(id, S, "completed", { completedAt: at, turnId: "turn-1" });
  enqueueCompletion(state, task, at, LIMITS);
  return completionKey(task);
}

/** A task still running, launched in the held ones' turn (a sibling) or another. */
function running(state: BgState, id: string, turnId = "turn-1"): void {
  state.tasks[`${S}:${id}`] = {
    id,
    parentSessionId: S,
    kind: "bash",
    description: id,
    status: "running",
    turnId,
  };
}

function view(state: BgState, now: number, extra: Partial<TimerView> = {}): TimerView {
  return { state, sessionId: S, now, limits: LIMITS, giveUpAt: T0 + 90_000, settled: true, ...extra };
}

/** A wake-up claimed at `at`: every batch owed then goes out with it. */
function wakeUpAt(state: BgState, at: number): string[] {
  return claimBatches(state, at, LIMITS, { parentSessionId: S, force: true, via: "rewake", by: "p1" }).map(
    (b) => b.id,
  );
}

test("a notice inside the running turn is told by that turn, whatever else holds", () => {
  const state = createEmptyState(T0);
  state.sessions = { [S]: { promptId: "turn-1", at: T0 } };
  assert.equal(decideArrival(state, S, { key: "k", promptId: "turn-1" }, T0), "in-turn");
  assert.equal(decideArrival(state, S, { key: "k", promptId: "turn-2" }, T0), "hold");
  assert.equal(decideArrival(state, S, { key: "k", promptId: undefined }, T0), "hold");
});

test("with a wake-up on its way, a completion nobody recorded passes; one recorded keeps its course", () => {
  const state = createEmptyState(T0);
  const recorded = held(state, "t1", T0);
  wakeUpAt(state, T0 + 1000);
  const at = T0 + 1000 + ECHO_QUEUED_AFTER_MS + 1;
  assert.equal(decideArrival(state, S, { key: "new", promptId: "p" }, at), "pass-pending");
  assert.equal(decideArrival(state, S, { key: "new", promptId: "p" }, at, "defer"), "defer");
  assert.equal(decideArrival(state, S, { key: "new", promptId: "p" }, at, "record"), "hold");
  assert.equal(decideArrival(state, S, { key: recorded, promptId: "p" }, at), "hold");
  // Taken up before the echo can have been queued: it is held.
  assert.equal(
    decideArrival(state, S, { key: "new", promptId: "p" }, T0 + 1000 + ECHO_QUEUED_AFTER_MS - 1),
    "hold",
  );
  // A turn started since the wake-up (its echo): nothing is on its way any more.
  state.sessions = { [S]: { promptId: "echo", at: T0 + 1200 } };
  assert.equal(decideArrival(state, S, { key: "new", promptId: "p" }, T0 + 1300), "hold");
  // Past the pending time, too.
  delete state.sessions;
  assert.equal(
    decideArrival(state, S, { key: "new", promptId: "p" }, T0 + 1000 + WAKE_UP_PENDING_MS + 1),
    "hold",
  );
});

test("a notice whose other hook let it pass passes too", () => {
  const state = createEmptyState(T0);
  held(state, "t1", T0);
  wakeUpAt(state, T0 + 1000);
  const at = T0 + 1100;
  state.batches.push({
    id: "n-1",
    parentSessionId: S,
    openedAt: at,
    items: [{ key: "new", recordedAt: at, task: finishedTask("t2", S) }],
    deliveredAt: at,
    deliveredVia: "native-pending",
    toldBy: "claude-code",
  });
  assert.equal(decideArrival(state, S, { key: "new", promptId: "p" }, at), "pass-with-sibling");
});

test("the timer stops with nothing owed, and when the batch falls due only after it gives up", () => {
  const state = createEmptyState(T0);
  assert.deepEqual(nextTimerStep(view(state, T0)), { kind: "stop" });
  held(state, "t1", T0);
  assert.deepEqual(nextTimerStep(view(state, T0, { giveUpAt: T0 + 500 })), { kind: "stop" });
});

test("the timer waits out the window, polling the state at least every POLL_MS", () => {
  const state = createEmptyState(T0);
  held(state, "t1", T0);
  assert.deepEqual(nextTimerStep(view(state, T0 + 200)), { kind: "wait", ms: 800, why: "window" });
  const long = { ...LIMITS, batchWindowMs: 5000 };
  assert.deepEqual(nextTimerStep({ ...view(state, T0), limits: long }), {
    kind: "wait",
    ms: POLL_MS,
    why: "window",
  });
});

test("due while tasks still run, the claim waits for a pause in the notices, at most QUIET_WAIT_MAX_MS", () => {
  const state = createEmptyState(T0);
  held(state, "t1", T0);
  held(state, "t2", T0 + 900);
  running(state, "t3");
  // Due at T0 + 1000; the last notice came at T0 + 900.
  assert.deepEqual(nextTimerStep(view(state, T0 + 1000)), {
    kind: "wait",
    ms: 900 + NOTICES_QUIET_MS - 1000,
    why: "quiet",
  });
  assert.equal(nextTimerStep(view(state, T0 + 900 + NOTICES_QUIET_MS)).kind, "claim");
  // Notices keep coming: claimed QUIET_WAIT_MAX_MS after the due moment anyway.
  held(state, "t4", T0 + 2900);
  assert.equal(nextTimerStep(view(state, T0 + 2950)).kind, "wait");
  assert.equal(nextTimerStep(view(state, T0 + 1000 + QUIET_WAIT_MAX_MS)).kind, "claim");
});

test("a task of an earlier turn still running (a dev server) is no burst: the batch is claimed when due", () => {
  const state = createEmptyState(T0);
  held(state, "t1", T0);
  held(state, "t2", T0 + 900);
  running(state, "server", "turn-0");
  assert.equal(nextTimerStep(view(state, T0 + 1000)).kind, "claim");
});

test("with nothing left running the due batch is claimed at once, after settling", () => {
  const state = createEmptyState(T0);
  held(state, "t1", T0);
  held(state, "t2", T0 + 900);
  assert.deepEqual(nextTimerStep(view(state, T0 + 1000, { settled: false })), { kind: "settle" });
  assert.deepEqual(nextTimerStep(view(state, T0 + 1000)), { kind: "claim" });
});

test("an earlier wake-up not yet answered is looked for, then waited for; unreadable, it is not", () => {
  const state = createEmptyState(T0);
  held(state, "t1", T0);
  const [sent] = wakeUpAt(state, T0 + 1000);
  held(state, "t2", T0 + 1100);
  const now = T0 + 2200;
  const marker = batchMarker(sent as string);
  assert.deepEqual(nextTimerStep(view(state, now)), { kind: "look", markers: [marker] });
  assert.deepEqual(nextTimerStep(view(state, now, { answered: new Set() })), {
    kind: "wait",
    ms: 150,
    why: "answer",
  });
  assert.deepEqual(nextTimerStep(view(state, now, { answered: new Set([marker]) })), { kind: "claim" });
  assert.deepEqual(nextTimerStep(view(state, now, { answered: "unreadable" })), { kind: "claim" });
  assert.deepEqual(nextTimerStep(view(state, now, { answered: new Set([marker]), settled: false })), {
    kind: "settle",
  });
});

test("after a lost claim the timer looks again shortly, until its time is up", () => {
  assert.deepEqual(afterLostClaim(T0, T0 + 1), { kind: "wait", ms: 15, why: "window" });
  assert.deepEqual(afterLostClaim(T0 + 2, T0 + 1), { kind: "stop" });
});
