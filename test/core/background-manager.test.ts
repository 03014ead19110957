// BackgroundManager: the lifecycle (launch → start → complete | fail | cancel), exactly-once
// notification with the slot released first, concurrency per model tier, stale detection, TTL pruning.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BackgroundManager,
  type BackgroundManagerOptions,
  getBackgroundManager,
  resetBackgroundManager,
} from "../../src/background-manager.ts";
import { isBgNotifyError } from "../../src/errors.ts";
import type { BackgroundTaskCompletedPayload, BackgroundTasksBatchPayload } from "../../src/event-bus.ts";
import { createMemoryStore } from "../../src/memory-store.ts";
import { createNotificationManager } from "../../src/notification-manager.ts";
import { createFileStore, type StateStore } from "../../src/store.ts";
import { manualClock, record, tempDir } from "./helpers.ts";

function makeManager(options: Omit<BackgroundManagerOptions, "notificationManager"> = {}) {
  const clock = manualClock();
  const now = options.now ?? clock.now;
  const store: StateStore = options.store ?? createMemoryStore();
  const notificationManager = createNotificationManager({ timers: false, now }, undefined, store);
  const manager = new BackgroundManager({ ...options, store, now, notificationManager });
  const seen = record(notificationManager.getEventBus());
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
type Finisher = keyof typeof finishers;
const finisherNames = Object.keys(finishers) as Finisher[];

function assertTransitionError(error: unknown): true {
  assert.ok(isBgNotifyError(error, "ETRANSITION"), `expected ETRANSITION, got ${String(error)}`);
  return true;
}

for (const name of finisherNames) {
  test(`${name} sets the terminal status, notifies exactly once, and a second finish throws without notifying`, async () => {
    const { manager, completed, clock } = makeManager();
    const task = await manager.launch({ parentSessionId: "p", description: "job", model: "claude-sonnet-4" });
    assert.equal(task.status, "running");
    clock.advance(1234);
    const finished = await finishers[name](manager, task.id);
    assert.equal(finished.status, expectedStatus[name]);
    assert.equal(finished.completedAt, clock.now());
    assert.equal((await manager.getTask(task.id))?.status, expectedStatus[name]);
    assert.equal(completed().length, 1);
    assert.equal(completed()[0]?.taskId, task.id);
    assert.equal(completed()[0]?.status, expectedStatus[name]);

    for (const second of finisherNames) {
      await assert.rejects(finishers[second](manager, task.id), assertTransitionError);
    }
    assert.equal(completed().length, 1);
    assert.equal((await manager.getTask(task.id))?.status, expectedStatus[name]);
  });

  test(`${name}: the concurrency slot is already free when the completion listener runs`, async () => {
    const { manager } = makeManager();
    const task = await manager.launch({ parentSessionId: "p", description: "job", model: "claude-opus-4" });
    const key = task.concurrencyKey!;
    assert.deepEqual(manager.concurrency.running(key), [task.id]);
    const inListener: string[][] = [];
    manager.notificationManager.getEventBus().subscribe("background_task_completed", () => {
      inListener.push(manager.concurrency.running(key));
    });
    await finishers[name](manager, task.id);
    assert.deepEqual(inListener, [[]]);
  });
}

test("racing finishers: exactly one wins and exactly one notification goes out", async () => {
  const { manager, completed } = makeManager();
  for (const [a, b] of [
    ["completeTask", "cancelTask"],
    ["failTask", "completeTask"],
    ["cancelTask", "cancelTask"],
  ] as const) {
    const task = await manager.launch({ parentSessionId: "p", description: `${a} vs ${b}` });
    const before = completed().length;
    const results = await Promise.allSettled([
      finishers[a](manager, task.id),
      finishers[b](manager, task.id),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1, `${a} vs ${b}`);
    const rejected = results.find((r) => r.status === "rejected");
    assert.ok(rejected && assertTransitionError(rejected.reason));
    assert.equal(completed().length - before, 1, `${a} vs ${b}`);
  }
});

test("cancelTask works on a pending task and does not free someone else's slot", async () => {
  const { manager, completed } = makeManager({ concurrency: { modelConcurrency: { opus: 1 } } });
  const first = await manager.launch({ parentSessionId: "p", description: "one", model: "opus" });
  const second = await manager.launch({ parentSessionId: "p", description: "two", model: "opus" });
  assert.equal(second.status, "pending");
  const cancelled = await manager.cancelTask(second.id);
  assert.equal(cancelled.status, "cancelled");
  assert.deepEqual(manager.concurrency.running("opus"), [first.id]);
  assert.equal(completed().length, 1);
});

test("concurrency limits per tier: haiku 5, sonnet 3, opus 2, default 3", async () => {
  const { manager } = makeManager();
  const limits = { "claude-haiku-4-5": 5, "claude-sonnet-4-5": 3, "claude-opus-4-1": 2, "gpt-x": 3 };
  for (const [model, limit] of Object.entries(limits)) {
    const launched = [];
    for (let i = 0; i < limit + 2; i++)
      launched.push(await manager.launch({ parentSessionId: "p", description: `${model} ${i}`, model }));
    const statuses = launched.map((t) => t.status);
    assert.deepEqual(
      statuses,
      [...Array(limit).fill("running"), "pending", "pending"],
      `${model} should run ${limit} at once`,
    );
    const key = manager.concurrency.keyFor(model);
    assert.equal(manager.concurrency.running(key).length, limit);
  }
  // Without a model the default tier applies.
  const noModel = [];
  for (let i = 0; i < 4; i++)
    noModel.push(await manager.launch({ parentSessionId: "q", description: `plain ${i}` }));
  assert.deepEqual(
    noModel.map((t) => t.status),
    ["pending", "pending", "pending", "pending"],
    "gpt-x already filled the default tier",
  );
});

test("a limit of 0 means unlimited", async () => {
  const { manager } = makeManager({ concurrency: { modelConcurrency: { opus: 0 }, defaultConcurrency: 0 } });
  for (let i = 0; i < 12; i++) {
    assert.equal(
      (await manager.launch({ parentSessionId: "p", description: `o${i}`, model: "opus" })).status,
      "running",
    );
    assert.equal((await manager.launch({ parentSessionId: "p", description: `d${i}` })).status, "running");
  }
});

test("a pending task starts when a slot frees, oldest first, whichever way the slot freed", async () => {
  const { manager, clock } = makeManager({ concurrency: { modelConcurrency: { sonnet: 1 } } });
  const a = await manager.launch({ parentSessionId: "p", description: "a", model: "sonnet" });
  clock.advance(1);
  const b = await manager.launch({ parentSessionId: "p", description: "b", model: "sonnet" });
  clock.advance(1);
  const c = await manager.launch({ parentSessionId: "p", description: "c", model: "sonnet" });
  clock.advance(1);
  const d = await manager.launch({ parentSessionId: "p", description: "d", model: "sonnet" });
  assert.deepEqual([a.status, b.status, c.status, d.status], ["running", "pending", "pending", "pending"]);

  await manager.completeTask(a.id);
  assert.equal((await manager.getTask(b.id))?.status, "running");
  assert.equal((await manager.getTask(c.id))?.status, "pending");
  await manager.failTask(b.id, "x");
  assert.equal((await manager.getTask(c.id))?.status, "running");
  await manager.cancelTask(c.id);
  assert.equal((await manager.getTask(d.id))?.status, "running");
  assert.deepEqual(manager.concurrency.running("sonnet"), [d.id]);
});

test("a listener may launch into the slot the finished task freed", async () => {
  const { manager } = makeManager({ concurrency: { modelConcurrency: { opus: 1 } } });
  const first = await manager.launch({ parentSessionId: "p", description: "first", model: "opus" });
  const launches: Promise<unknown>[] = [];
  manager.notificationManager.getEventBus().subscribe("background_task_completed", () => {
    launches.push(manager.launch({ parentSessionId: "p", description: "follow-up", model: "opus" }));
  });
  await manager.completeTask(first.id);
  const [followUp] = (await Promise.all(launches)) as { status: string }[];
  assert.equal(followUp?.status, "running");
});

test("startTask on a finished task throws and keeps no slot", async () => {
  const { manager } = makeManager({ concurrency: { modelConcurrency: { opus: 1 } } });
  const task = await manager.launch({ parentSessionId: "p", description: "x", model: "opus" });
  await manager.completeTask(task.id);
  await assert.rejects(manager.startTask(task.id), assertTransitionError);
  assert.deepEqual(manager.concurrency.running("opus"), []);
  const next = await manager.launch({ parentSessionId: "p", description: "y", model: "opus" });
  assert.equal(next.status, "running");
});

test("starting the same pending task twice at once leaves it running with its slot held", async () => {
  const { manager } = makeManager({ concurrency: { modelConcurrency: { opus: 1 } } });
  const blocker = await manager.launch({ parentSessionId: "p", description: "blocker", model: "opus" });
  const waiting = await manager.launch({ parentSessionId: "p", description: "waiting", model: "opus" });
  assert.equal(waiting.status, "pending");
  // Free the slot behind the manager's back so both starts see it free.
  manager.concurrency.release("opus", blocker.id);
  await Promise.allSettled([manager.startTask(waiting.id), manager.startTask(waiting.id)]);
  assert.equal((await manager.getTask(waiting.id))?.status, "running");
  assert.deepEqual(manager.concurrency.running("opus"), [waiting.id]);
});

test("launching an id twice is refused", async () => {
  const { manager } = makeManager();
  await manager.launch({ id: "same", parentSessionId: "p", description: "x" });
  await assert.rejects(
    manager.launch({ id: "same", parentSessionId: "p", description: "x" }),
    assertTransitionError,
  );
  await assert.rejects(manager.completeTask("missing"), (error) => isBgNotifyError(error, "ENOTASK"));
});

test("clear() flushes pending notifications before forgetting the tasks", async () => {
  const { manager, batches } = makeManager();
  const a = await manager.launch({ parentSessionId: "p", description: "a" });
  const b = await manager.launch({ parentSessionId: "p", description: "b" });
  const c = await manager.launch({ parentSessionId: "q", description: "c" });
  await manager.completeTask(a.id);
  await manager.cancelTask(b.id);
  assert.equal(batches().length, 0, "the window has not closed yet");

  await manager.clear();
  const delivered = batches().filter((batch) => batch.parentSessionId === "p");
  assert.equal(delivered.length, 1);
  assert.deepEqual(delivered[0]?.tasks.map((t) => t.id).sort(), [a.id, b.id].sort());
  assert.equal(delivered[0]?.cancelledCount, 1);
  assert.deepEqual(await manager.listTasks(), []);
  assert.deepEqual(manager.concurrency.running(c.concurrencyKey!), [], "the running task's slot is freed");
  assert.deepEqual(await manager.notificationManager.flushAll(), []);
});

test("stale detection: running with no progress past staleTimeoutMs", async () => {
  const { manager, clock, completed } = makeManager({ staleTimeoutMs: 10_000 });
  const quiet = await manager.launch({ parentSessionId: "p", description: "quiet" });
  const busy = await manager.launch({ parentSessionId: "p", description: "busy" });
  clock.advance(9_000);
  await manager.recordProgress(busy.id);
  clock.advance(1_000);
  assert.deepEqual(await manager.findStaleTasks(), [], "exactly at the timeout is not yet stale");
  clock.advance(1);
  assert.deepEqual(
    (await manager.findStaleTasks()).map((t) => t.id),
    [quiet.id],
  );
  const failed = await manager.failStaleTasks();
  assert.deepEqual(
    failed.map((t) => [t.id, t.status]),
    [[quiet.id, "error"]],
  );
  assert.match(failed[0]?.error ?? "", /stale/);
  assert.equal(completed().length, 1);
  clock.advance(9_000);
  assert.deepEqual(
    (await manager.findStaleTasks()).map((t) => t.id),
    [busy.id],
  );
  // Failing stale tasks again does not touch the one already failed.
  await manager.failStaleTasks();
  assert.equal(completed().length, 2);
});

test("TTL pruning drops terminal tasks older than taskTtlMs and keeps the rest", async () => {
  const { manager, clock } = makeManager({ taskTtlMs: 60_000 });
  const old = await manager.launch({ parentSessionId: "p", description: "old" });
  const young = await manager.launch({ parentSessionId: "p", description: "young" });
  const live = await manager.launch({ parentSessionId: "p", description: "live" });
  await manager.completeTask(old.id);
  clock.advance(30_000);
  await manager.failTask(young.id, "x");
  clock.advance(30_001);
  await manager.pruneTasks();
  const ids = (await manager.listTasks()).map((t) => t.id).sort();
  assert.deepEqual(ids, [young.id, live.id].sort());
  clock.advance(30_000);
  await manager.pruneTasks();
  assert.deepEqual(
    (await manager.listTasks()).map((t) => t.id),
    [live.id],
  );
});

test("the lifecycle over the file store persists across managers", async (t) => {
  const dir = tempDir(t);
  const { manager, completed } = makeManager({ store: createFileStore({ dir }), now: Date.now });
  const task = await manager.launch({ parentSessionId: "p", description: "on disk" });
  await manager.completeTask(task.id, "fine");
  assert.equal(completed().length, 1);
  const other = makeManager({ store: createFileStore({ dir }), now: Date.now }).manager;
  assert.equal((await other.getTask(task.id))?.status, "completed");
  await assert.rejects(other.cancelTask(task.id), assertTransitionError);
  const [delivery] = await other.notificationManager.flushParent("p");
  assert.deepEqual(
    delivery?.tasks.map((x) => [x.id, x.result]),
    [[task.id, "fine"]],
  );
});

test("getBackgroundManager returns one instance until resetBackgroundManager", (t) => {
  t.after(resetBackgroundManager);
  resetBackgroundManager();
  const store = createMemoryStore();
  const notificationManager = createNotificationManager({ timers: false }, undefined, store);
  const first = getBackgroundManager({ store, notificationManager });
  assert.equal(getBackgroundManager(), first);
  resetBackgroundManager();
  assert.notEqual(getBackgroundManager({ store, notificationManager }), first);
});

test("failStaleTasks skips a stale task that finished meanwhile and still fails the others", async () => {
  const { manager, clock, completed } = makeManager({ staleTimeoutMs: 1000 });
  const a = await manager.launch({ parentSessionId: "p", description: "a" });
  const b = await manager.launch({ parentSessionId: "p", description: "b" });
  const c = await manager.launch({ parentSessionId: "p", description: "c" });
  clock.advance(5000);
  // b reports in just as the sweep begins: the sweep must leave it alone, not give up.
  const late = manager.completeTask(b.id, "made it");
  const failed = await manager.failStaleTasks();
  await late;
  assert.deepEqual(failed.map((t) => t.id).sort(), [a.id, c.id].sort());
  assert.equal((await manager.getTask(b.id))?.status, "completed");
  assert.equal(completed().length, 3);
});

test("a task without a parent session still finishes and persists, though nobody is notified", async () => {
  const { manager, completed } = makeManager({ concurrency: { modelConcurrency: { opus: 1 } } });
  const task = await manager.launch({ parentSessionId: "", description: "headless", model: "opus" });
  const waiting = await manager.launch({ parentSessionId: "", description: "next", model: "opus" });
  await manager.completeTask(task.id, "ok");
  assert.equal((await manager.getTask(task.id))?.status, "completed");
  assert.equal(completed().length, 0, "notify ignores parentless tasks");
  await assert.rejects(manager.cancelTask(task.id), assertTransitionError);
  assert.equal((await manager.getTask(waiting.id))?.status, "running", "its slot went to the next task");
});
