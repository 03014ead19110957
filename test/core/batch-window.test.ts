// The batch window and size limits: lazily evaluated over the file store (hook processes), timer-driven
// over the memory store (long-lived processes, driven here by node:test's mock timers).
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { type BackgroundTasksBatchPayload, createHookEventBus } from "../../src/event-bus.ts";
import { createMemoryStore } from "../../src/memory-store.ts";
import { createNotificationManager } from "../../src/notification-manager.ts";
import { createFileStore } from "../../src/store.ts";
import { finishedTask, manualClock, record, settle, tempDir } from "./helpers.ts";

test("file store: a batch is not due at first + 999 ms and is due at first + 1000 ms", async (t) => {
  const dir = tempDir(t);
  const clock = manualClock();
  const start = clock.now();
  const writer = createNotificationManager(
    { timers: false, now: clock.now },
    undefined,
    createFileStore({ dir, now: clock.now }),
  );
  await writer.notify(finishedTask("a", "parent-1"));
  clock.advance(500);
  // A later item joins the batch without extending its window.
  await writer.notify(finishedTask("b", "parent-1"));

  // Another process (another manager over the same directory) evaluates the window lazily.
  const readerStore = createFileStore({ dir, now: clock.now });
  const bus = createHookEventBus({ store: readerStore, now: clock.now });
  const reader = createNotificationManager({ timers: false, now: clock.now }, bus, readerStore);
  assert.equal(reader.getEventBus(), bus);
  const seen = record(bus);
  assert.deepEqual(await reader.flushDue(start + 999), []);
  assert.equal(seen.get("background_tasks_batch"), undefined);

  const due = await reader.flushDue(start + 1000);
  assert.equal(due.length, 1);
  assert.deepEqual(
    due[0]?.tasks.map((task) => task.id),
    ["a", "b"],
  );
  const batches = seen.get("background_tasks_batch") as BackgroundTasksBatchPayload[];
  assert.equal(batches.length, 1);
  assert.equal(batches[0]?.count, 2);
  // Claimed once: a second look finds nothing owed.
  assert.deepEqual(await reader.flushDue(start + 5000), []);
});

test("file store: the 5th item flushes at once and the 6th opens a new batch", async (t) => {
  const dir = tempDir(t);
  const clock = manualClock();
  const manager = createNotificationManager(
    { timers: false, now: clock.now },
    undefined,
    createFileStore({ dir, now: clock.now }),
  );
  const seen = record(manager.getEventBus());
  const results = [];
  for (let i = 1; i <= 6; i++) results.push(await manager.notify(finishedTask(`t${i}`, "parent-1")));

  for (const result of results.slice(0, 4)) assert.deepEqual(result.flushed, []);
  const fifth = results[4]!;
  assert.equal(fifth.flushed.length, 1);
  assert.deepEqual(
    fifth.flushed[0]?.tasks.map((task) => task.id),
    ["t1", "t2", "t3", "t4", "t5"],
  );
  assert.equal((seen.get("background_tasks_batch") ?? []).length, 1);

  const sixth = results[5]!;
  assert.equal(sixth.kind, "queued");
  assert.ok(sixth.kind === "queued" && sixth.openedBatch);
  assert.ok(fifth.kind === "queued" && sixth.batchId !== fifth.batchId);
  assert.deepEqual(sixth.flushed, []);

  clock.advance(1000);
  const rest = await manager.flushDue();
  assert.deepEqual(
    rest.map((d) => d.tasks.map((task) => task.id)),
    [["t6"]],
  );
});

test("memory store: a batch flushes by timer 1000 ms after its first item, not extended by later items", async (t) => {
  mock.timers.enable({ apis: ["setTimeout"] });
  t.after(() => mock.timers.reset());
  // The wall clock does not move under the mock: the timer alone must close the window.
  const manager = createNotificationManager({}, undefined, createMemoryStore());
  const seen = record(manager.getEventBus());
  const batches = () => (seen.get("background_tasks_batch") ?? []) as BackgroundTasksBatchPayload[];

  await manager.notify(finishedTask("a", "parent-1"));
  mock.timers.tick(400);
  await settle();
  await manager.notify(finishedTask("b", "parent-1"));
  mock.timers.tick(599);
  await settle();
  assert.equal(batches().length, 0, "nothing flushes before the window closes");

  mock.timers.tick(1);
  await settle();
  assert.equal(batches().length, 1);
  assert.deepEqual(
    batches()[0]?.tasks.map((task) => task.id),
    ["a", "b"],
  );

  // The next completion opens a new window of its own.
  await manager.notify(finishedTask("c", "parent-1"));
  mock.timers.tick(999);
  await settle();
  assert.equal(batches().length, 1);
  mock.timers.tick(1);
  await settle();
  assert.equal(batches().length, 2);
  assert.deepEqual(
    batches()[1]?.tasks.map((task) => task.id),
    ["c"],
  );
});

test("memory store: the 5th item flushes at once, the 6th opens a new batch with its own timer", async (t) => {
  mock.timers.enable({ apis: ["setTimeout"] });
  t.after(() => mock.timers.reset());
  const manager = createNotificationManager({}, undefined, createMemoryStore());
  const seen = record(manager.getEventBus());
  const batches = () => (seen.get("background_tasks_batch") ?? []) as BackgroundTasksBatchPayload[];

  for (let i = 1; i <= 5; i++) await manager.notify(finishedTask(`t${i}`, "parent-1"));
  assert.equal(batches().length, 1, "the 5th item flushed the batch without waiting");
  assert.equal(batches()[0]?.count, 5);

  const sixth = await manager.notify(finishedTask("t6", "parent-1"));
  assert.ok(sixth.kind === "queued" && sixth.openedBatch);
  assert.notEqual(sixth.kind === "queued" && sixth.batchId, batches()[0]?.batchId);
  mock.timers.tick(1000);
  await settle();
  // The full batch's timer was cancelled: exactly one more batch, holding only the 6th.
  assert.equal(batches().length, 2);
  assert.deepEqual(
    batches()[1]?.tasks.map((task) => task.id),
    ["t6"],
  );
  mock.timers.tick(5000);
  await settle();
  assert.equal(batches().length, 2);
});

test("configured window and size are honoured", async (t) => {
  const dir = tempDir(t);
  const clock = manualClock();
  const start = clock.now();
  const manager = createNotificationManager(
    { timers: false, now: clock.now, batchWindow: 250, maxBatchSize: 2 },
    undefined,
    createFileStore({ dir, now: clock.now }),
  );
  await manager.notify(finishedTask("a", "p"));
  const second = await manager.notify(finishedTask("b", "p"));
  assert.equal(second.flushed.length, 1);
  await manager.notify(finishedTask("c", "p"));
  assert.deepEqual(await manager.flushDue(start + 249), []);
  assert.equal((await manager.flushDue(start + 250)).length, 1);
});
