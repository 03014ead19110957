// The design's BackgroundManager: the lifecycle (launch → start → complete | fail | cancel), boolean
// finishers, exactly-once notification with the slot released first, the design's config keys,
// concurrency per model tier, stale detection, TTL pruning, persistence.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type BackgroundConfig,
  BackgroundManager,
  getBackgroundManager,
  resetBackgroundManager,
} from "../../src/library/background-manager.ts";
import type {
  BackgroundTaskCompletedPayload,
  BackgroundTasksBatchPayload,
} from "../../src/library/event-bus.ts";
import { manualClock, record, tempDir } from "../helpers.ts";

function makeManager(config: BackgroundConfig = {}, stateDir?: string) {
  const clock = manualClock();
  const manager = new BackgroundManager(config, {
    now: clock.now,
    ...(stateDir !== undefined ? { stateDir } : {}),
  });
  const seen = record(manager.getEventBus());
  return {
    clock,
    manager,
    completed: () => (seen.get("background_task_completed") ?? []) as BackgroundTaskCompletedPayload[],
    batches: () => (seen.get("background_tasks_batch") ?? []) as BackgroundTasksBatchPayload[],
  };
}

const finishers = {
  completeTask: (m: BackgroundManager, id: string) => m.completeTask(id, "done"),
  failTask: (m: BackgroundManager, id: string) => m.failTask(id, "boom"),
  cancelTask: (m: BackgroundManager, id: string) => m.cancelTask(id),
} as const;
const expectedStatus = { completeTask: "completed", failTask: "error", cancelTask: "cancelled" } as const;

for (const name of Object.keys(finishers) as (keyof typeof finishers)[]) {
  test(`${name}: terminal status, true, notified exactly once; a second finish is false and silent`, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const { manager, completed, clock } = makeManager();
    const task = manager.launch({ parentSessionId: "p", description: "job" });
    clock.advance(50);
    assert.equal(finishers[name](manager, task.id), true);
    const after = manager.getTask(task.id);
    assert.equal(after?.status, expectedStatus[name]);
    assert.equal(after?.completedAt, clock.now());
    assert.equal(completed().length, 1);
    for (const other of Object.values(finishers)) assert.equal(other(manager, task.id), false);
    assert.equal(finishers[name](manager, "no-such-task"), false);
    assert.equal(completed().length, 1);
    manager.clear();
  });

  test(`${name}: the concurrency slot is already free when the completion listener runs`, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const { manager } = makeManager({ modelConcurrency: { opus: 1 } });
    const task = manager.launch({ parentSessionId: "p", description: "job", model: "claude-opus-5" });
    let runningInListener: string[] | undefined;
    manager.getEventBus().subscribe("background_task_completed", () => {
      runningInListener = manager.concurrency.running("opus");
    });
    finishers[name](manager, task.id);
    assert.deepEqual(runningInListener, []);
    manager.clear();
  });
}

test("the design's config keys are honoured: a batch flushes at notificationMaxBatch and after notificationBatchWindow", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const { manager, batches } = makeManager({ notificationBatchWindow: 150, notificationMaxBatch: 2 });
  const a = manager.launch({ parentSessionId: "p", description: "a" });
  const b = manager.launch({ parentSessionId: "p", description: "b" });
  const c = manager.launch({ parentSessionId: "p", description: "c" });
  manager.completeTask(a.id);
  manager.completeTask(b.id);
  assert.equal(batches().length, 1, "flushed at 2");
  assert.equal(batches()[0]?.allComplete, false, "c still runs");
  manager.failTask(c.id, "x");
  t.mock.timers.tick(149);
  assert.equal(batches().length, 1);
  t.mock.timers.tick(1);
  assert.equal(batches().length, 2, "flushed after 150 ms");
  assert.equal(batches()[1]?.allComplete, true);
});

test("the design's literal: the two batching fields given, every other one from the defaults", () => {
  const bc: BackgroundConfig = { notificationBatchWindow: 1000, notificationMaxBatch: 5 };
  const manager = new BackgroundManager(bc);
  assert.equal(manager.config.notificationBatchWindow, 1000);
  assert.equal(manager.config.notificationMaxBatch, 5);
  assert.equal(manager.config.defaultConcurrency, 3);
  assert.equal(manager.config.modelConcurrency["opus"], 2);
  assert.equal(new BackgroundManager({ notificationMaxBatch: undefined }).config.notificationMaxBatch, 5);
});

test("concurrency limits per tier: haiku 5, sonnet 3, opus 2, default 3; 0 = unlimited", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { manager } = makeManager();
  const started = (model: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      manager.launch({ parentSessionId: "p", description: `${model}${i}`, model }),
    ).filter((task) => task.status === "running").length;
  assert.equal(started("claude-haiku-4", 6), 5);
  assert.equal(started("claude-sonnet-5", 4), 3);
  assert.equal(started("claude-opus-5", 3), 2);
  assert.equal(started("other-model", 4), 3);
  const unlimited = makeManager({ modelConcurrency: { opus: 0 } }).manager;
  const all = Array.from({ length: 6 }, (_, i) =>
    unlimited.launch({ parentSessionId: "p", description: `o${i}`, model: "opus" }),
  );
  assert.ok(all.every((task) => task.status === "running"));
  manager.clear();
});

test("a pending task starts when a slot frees, oldest first, whichever way the slot freed", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { manager, clock } = makeManager({ modelConcurrency: { opus: 1 } });
  const first = manager.launch({ parentSessionId: "p", description: "1", model: "opus" });
  clock.advance(1);
  const second = manager.launch({ parentSessionId: "p", description: "2", model: "opus" });
  clock.advance(1);
  const third = manager.launch({ parentSessionId: "p", description: "3", model: "opus" });
  assert.deepEqual([first.status, second.status, third.status], ["running", "pending", "pending"]);
  manager.cancelTask(first.id);
  assert.equal(manager.getTask(second.id)?.status, "running");
  manager.failTask(second.id, "x");
  assert.equal(manager.getTask(third.id)?.status, "running");
  manager.clear();
});

test("a listener may launch into the slot the finished task freed", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { manager } = makeManager({ modelConcurrency: { opus: 1 } });
  const first = manager.launch({ parentSessionId: "p", description: "1", model: "opus" });
  let next: string | undefined;
  manager.getEventBus().subscribe("background_task_completed", () => {
    next = manager.launch({ parentSessionId: "p", description: "2", model: "opus" }).status;
  });
  manager.completeTask(first.id);
  assert.equal(next, "running");
  manager.clear();
});

test("launching an id twice is refused", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { manager } = makeManager();
  manager.launch({ id: "same", parentSessionId: "p", description: "a" });
  assert.throws(
    () => manager.launch({ id: "same", parentSessionId: "p", description: "b" }),
    /already exists/,
  );
});

test("clear() flushes pending notifications before forgetting the tasks", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { manager, batches } = makeManager();
  const a = manager.launch({ parentSessionId: "p", description: "a" });
  const b = manager.launch({ parentSessionId: "p", description: "b" });
  const c = manager.launch({ parentSessionId: "q", description: "c" });
  manager.completeTask(a.id);
  manager.cancelTask(b.id);
  assert.equal(batches().length, 0, "the window has not closed yet");
  manager.clear();
  const delivered = batches().filter((batch) => batch.parentSessionId === "p");
  assert.equal(delivered.length, 1);
  assert.deepEqual(delivered[0]?.tasks.map((x) => x.id).sort(), [a.id, b.id].sort());
  assert.equal(delivered[0]?.cancelledCount, 1);
  assert.deepEqual(manager.listTasks(), []);
  assert.deepEqual(manager.concurrency.running(c.concurrencyKey!), [], "the running task's slot is freed");
});

test("stale detection: running with no progress past staleTimeoutMs", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { manager, clock, completed } = makeManager({ staleTimeoutMs: 10_000 });
  const quiet = manager.launch({ parentSessionId: "p", description: "quiet" });
  const busy = manager.launch({ parentSessionId: "p", description: "busy" });
  clock.advance(9_000);
  manager.recordProgress(busy.id);
  clock.advance(1_000);
  assert.deepEqual(manager.findStaleTasks(), [], "exactly at the timeout is not yet stale");
  clock.advance(1);
  assert.deepEqual(
    manager.findStaleTasks().map((x) => x.id),
    [quiet.id],
  );
  const failed = manager.failStaleTasks();
  assert.deepEqual(
    failed.map((x) => [x.id, x.status]),
    [[quiet.id, "error"]],
  );
  assert.match(failed[0]?.error ?? "", /stale/);
  clock.advance(9_000);
  manager.failStaleTasks();
  assert.equal(completed().length, 2, "the one already failed is not failed again");
  manager.clear();
});

test("TTL pruning drops terminal tasks older than taskTtlMs and keeps the rest", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { manager, clock } = makeManager({ taskTtlMs: 60_000 });
  const old = manager.launch({ parentSessionId: "p", description: "old" });
  const young = manager.launch({ parentSessionId: "p", description: "young" });
  const live = manager.launch({ parentSessionId: "p", description: "live" });
  manager.completeTask(old.id);
  clock.advance(30_000);
  manager.failTask(young.id, "x");
  clock.advance(30_001);
  manager.pruneTasks();
  assert.deepEqual(
    manager
      .listTasks()
      .map((x) => x.id)
      .sort(),
    [young.id, live.id].sort(),
  );
  manager.clear();
});

test("with a state directory, every change persists and a new manager starts from it", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const dir = tempDir(t);
  const { manager } = makeManager({ modelConcurrency: { opus: 1 } }, dir);
  const done = manager.launch({ parentSessionId: "p", description: "on disk" });
  const live = manager.launch({ parentSessionId: "p", description: "still running", model: "opus" });
  manager.completeTask(done.id, "fine");
  await manager.persisted();
  assert.deepEqual(manager.persistErrors, []);
  const other = makeManager({ modelConcurrency: { opus: 1 } }, dir).manager;
  assert.equal(other.getTask(done.id)?.status, "completed");
  assert.equal(other.getTask(done.id)?.result, "fine");
  assert.equal(other.cancelTask(done.id), false);
  const blocked = other.launch({ parentSessionId: "p", description: "waits", model: "opus" });
  assert.equal(blocked.status, "pending", "the running task from the earlier manager holds its slot");
  assert.equal(other.cancelTask(live.id), true);
  manager.clear();
  other.clear();
});

test("getBackgroundManager returns one instance until resetBackgroundManager", (t) => {
  t.after(resetBackgroundManager);
  resetBackgroundManager();
  const first = getBackgroundManager({ notificationBatchWindow: 10 });
  assert.equal(getBackgroundManager(), first);
  assert.equal(first.config.notificationBatchWindow, 10);
  resetBackgroundManager();
  assert.notEqual(getBackgroundManager(), first);
});

test("a task without a parent session still finishes, though nobody is notified", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { manager, completed } = makeManager({ modelConcurrency: { opus: 1 } });
  const task = manager.launch({ parentSessionId: "", description: "headless", model: "opus" });
  const waiting = manager.launch({ parentSessionId: "", description: "next", model: "opus" });
  assert.equal(manager.completeTask(task.id, "ok"), true);
  assert.equal(completed().length, 0, "notify ignores parentless tasks");
  assert.equal(manager.getTask(waiting.id)?.status, "running", "its slot went to the next task");
  manager.clear();
});
