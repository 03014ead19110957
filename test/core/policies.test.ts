// Policy `defer` and the wake budget: inputs of the one due rule, over plain state.
import assert from "node:assert/strict";
import test from "node:test";
import {
  type BatchLimits,
  batchDueAt,
  budgetOpensAt,
  enqueueCompletion,
  nextDueAt,
} from "../../src/core/batching.ts";
import { limitsFrom, resolveConfig } from "../../src/core/config.ts";
import { claimDeliveries } from "../../src/core/delivery.ts";
import { createEmptyState, parseState, pruneState, taskKey, WAKES_TTL_MS } from "../../src/core/state.ts";
import type { BgState } from "../../src/core/types.ts";
import { makeTask } from "../fixtures/claude-inputs.ts";

const P = "parent-1";
const WINDOW = 1000;
const BASE: BatchLimits = { batchWindowMs: WINDOW, maxBatchSize: 5 };
const BUDGET: BatchLimits = { ...BASE, budget: { wakes: 1, perMs: 120_000, failureWakes: true } };

function complete(
  state: BgState,
  id: string,
  at: number,
  limits: BatchLimits,
  status = "completed" as const,
) {
  const task = makeTask(id, P, "running");
  state.tasks[taskKey(P, id)] = task;
  return enqueueCompletion(state, { ...task, status, completedAt: at }, at, limits);
}

const owed = (state: BgState) => state.batches.filter((b) => b.deliveredAt === undefined);

test("defer: no batch is ever due, not even a full one; a prompt's claim still takes them all", () => {
  const limits = limitsFrom(resolveConfig(JSON.stringify({ policy: "defer" }), {}).config);
  assert.equal(limits.defer, true);
  const state = createEmptyState(0);
  for (let i = 0; i < 7; i++) complete(state, `d${i}`, 1000 + i, limits);
  for (const batch of owed(state)) assert.equal(batchDueAt(batch, limits, state), Number.POSITIVE_INFINITY);
  assert.equal(nextDueAt(state, P, limits), undefined, "no timer is armed");
  assert.deepEqual(claimDeliveries(state, 10 * 60_000, limits, "test", { via: "rewake", force: false }), []);
  const told = claimDeliveries(state, 10 * 60_000, limits, "test", { via: "prompt-context", force: true });
  assert.equal(
    told.reduce((n, d) => n + d.tasks.length, 0),
    7,
    "the next prompt carries every completion",
  );
  assert.equal(state.wakes, undefined, "a prompt's claim is no wake-up");
});

test("a wake budget of 1 per 2 minutes: the second batch waits for the next allowed wake-up", () => {
  const state = createEmptyState(0);
  complete(state, "a", 0, BUDGET);
  assert.equal(nextDueAt(state, P, BUDGET), WINDOW, "the first wake-up is free");
  const [first] = claimDeliveries(state, WINDOW, BUDGET, "test", { via: "rewake", force: false });
  assert.ok(first);
  assert.deepEqual(state.wakes?.[P], [WINDOW], "the wake-up is counted");
  complete(state, "b", 20_000, BUDGET);
  complete(state, "c", 40_000, BUDGET);
  assert.equal(
    budgetOpensAt(state, P, BUDGET.budget as NonNullable<BatchLimits["budget"]>),
    WINDOW + 120_000,
  );
  assert.equal(nextDueAt(state, P, BUDGET), WINDOW + 120_000, "both wait for the budget");
  assert.deepEqual(claimDeliveries(state, 60_000, BUDGET, "test", { via: "rewake", force: false }), []);
  const later = claimDeliveries(state, WINDOW + 120_000, BUDGET, "test", { via: "rewake", force: false });
  assert.deepEqual(
    later.flatMap((d) => d.tasks.map((t) => t.id)).sort(),
    ["b", "c"],
    "one wake-up for the rest",
  );
  assert.deepEqual(state.wakes?.[P], [WINDOW, WINDOW + 120_000]);
});

test("a budget lets a failure wake at once when wakeOnFailure is on, and not when it is off", () => {
  const state = createEmptyState(0);
  complete(state, "a", 0, BUDGET);
  claimDeliveries(state, WINDOW, BUDGET, "test", { via: "module-wake", force: false });
  complete(state, "x", 20_000, BUDGET, "error" as "completed");
  const batch = owed(state)[0];
  assert.ok(batch);
  assert.equal(batchDueAt(batch, BUDGET, state), 20_000 + WINDOW);
  const strict: BatchLimits = { ...BASE, budget: { wakes: 1, perMs: 120_000, failureWakes: false } };
  assert.equal(batchDueAt(batch, strict, state), WINDOW + 120_000);
});

test("the wake-ups a budget counts are kept in the state, the last hour's only", () => {
  const state = createEmptyState(0);
  state.wakes = { [P]: [1, 2, 3], other: [5] };
  const parsed = parseState(JSON.parse(JSON.stringify(state)));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.ok && parsed.state.wakes, state.wakes);
  assert.equal(parseState({ ...state, wakes: { [P]: ["x"] } }).ok, false);
  pruneState(state, 4 + WAKES_TTL_MS, { taskTtlMs: 1, deliveredTtlMs: 1 });
  assert.deepEqual(state.wakes, { other: [5] }, "older than an hour: gone, and an emptied parent with it");
});

test("config: policy and wakeBudget from the file and the environment; bad values named and ignored", () => {
  const file = JSON.stringify({ policy: "defer", wakeBudget: { wakes: 2, perMinutes: 10 } });
  const fromFile = resolveConfig(file, {});
  assert.deepEqual(fromFile.warnings, []);
  assert.equal(fromFile.config.policy, "defer");
  assert.deepEqual(fromFile.config.wakeBudget, { wakes: 2, perMinutes: 10 });
  assert.deepEqual(limitsFrom(fromFile.config).budget, { wakes: 2, perMs: 600_000, failureWakes: true });
  const fromEnv = resolveConfig(file, { BG_NOTIFY_POLICY: "window", BG_NOTIFY_WAKE_BUDGET: "1/2" });
  assert.equal(fromEnv.config.policy, "window");
  assert.deepEqual(fromEnv.config.wakeBudget, { wakes: 1, perMinutes: 2 });
  assert.equal(resolveConfig(file, { BG_NOTIFY_WAKE_BUDGET: "off" }).config.wakeBudget, undefined);
  const bad = resolveConfig(undefined, { BG_NOTIFY_POLICY: "later", BG_NOTIFY_WAKE_BUDGET: "1/999" });
  assert.equal(bad.warnings.length, 2);
  assert.match(bad.warnings[0] ?? "", /BG_NOTIFY_POLICY/);
  assert.match(bad.warnings[1] ?? "", /BG_NOTIFY_WAKE_BUDGET/);
  assert.equal(bad.config.policy, "window");
  assert.equal(bad.config.wakeBudget, undefined);
  const badFile = resolveConfig(JSON.stringify({ wakeBudget: { wakes: 0, perMinutes: 2 } }), {});
  assert.equal(badFile.warnings.length, 1);
  assert.match(badFile.warnings[0] ?? "", /wakeBudget/);
});
