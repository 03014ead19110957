// The batch window and size limits: timer-driven in the design's NotificationManager (node:test's mock
// timers drive it), lazily evaluated over the file store by the hooks' DurableNotifier.
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { DurableNotifier } from "../../src/library/durable-notifier.ts";
import type { BackgroundTasksBatchPayload } from "../../src/library/event-bus.ts";
import { NotificationManager } from "../../src/library/notification-manager.ts";
import { createFileStore } from "../../src/store/file-store.ts";
import { finishedTask, manualClock, record, tempDir } from "../helpers.ts";

test("memory: a batch flushes by timer 1000 ms after its first item, not extended by later items", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"] });
  try {
    const manager = new NotificationManager();
    const seen = record(manager.getEventBus());
    manager.notify(finishedTask("a", "p"));
    mock.timers.tick(600);
    manager.notify(finishedTask("b", "p"));
    mock.timers.tick(399);
    assert.equal(seen.get("background_tasks_batch"), undefined, "not at first + 999 ms");
    mock.timers.tick(1);
    const batches = seen.get("background_tasks_batch") as BackgroundTasksBatchPayload[];
    assert.equal(batches.length, 1, "at first + 1000 ms");
    assert.deepEqual(
      batches[0]?.tasks.map((x) => x.id),
      ["a", "b"],
    );
    mock.timers.tick(5000);
    assert.equal(batches.length, 1, "nothing later");
  } finally {
    mock.timers.reset();
  }
});

test("memory: the 5th item flushes at once, the 6th opens a new batch with its own timer", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"] });
  try {
    const manager = new NotificationManager({ batchWindow: 1000, maxBatchSize: 5 });
    const seen = record(manager.getEventBus());
    for (let i = 0; i < 5; i++) manager.notify(finishedTask(`t${i}`, "p"));
    const batches = seen.get("background_tasks_batch") as BackgroundTasksBatchPayload[];
    assert.equal(batches.length, 1);
    assert.equal(batches[0]?.count, 5);
    mock.timers.tick(300);
    manager.notify(finishedTask("t5", "p"));
    mock.timers.tick(999);
    assert.equal(batches.length, 1);
    mock.timers.tick(1);
    assert.equal(batches.length, 2);
    assert.deepEqual(
      batches[1]?.tasks.map((x) => x.id),
      ["t5"],
    );
  } finally {
    mock.timers.reset();
  }
});

test("memory: configured window and size are honoured", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"] });
  try {
    const manager = new NotificationManager({ batchWindow: 150, maxBatchSize: 2 });
    const seen = record(manager.getEventBus());
    manager.notify(finishedTask("a", "p"));
    manager.notify(finishedTask("b", "p"));
    const batches = seen.get("background_tasks_batch") as BackgroundTasksBatchPayload[];
    assert.equal(batches.length, 1, "flushed at 2");
    manager.notify(finishedTask("c", "p"));
    mock.timers.tick(149);
    assert.equal(batches.length, 1);
    mock.timers.tick(1);
    assert.equal(batches.length, 2, "flushed after 150 ms");
  } finally {
    mock.timers.reset();
  }
});

test("file store: a batch is not due at first + 999 ms and is due at first + 1000 ms", async (t) => {
  const dir = tempDir(t);
  const clock = manualClock();
  const start = clock.now();
  const writer = new DurableNotifier(createFileStore({ dir, now: clock.now }), { now: clock.now });
  await writer.notify(finishedTask("a", "parent-1"));
  clock.advance(500);
  await writer.notify(finishedTask("b", "parent-1"));

  // Another process (another notifier over the same directory) evaluates the window lazily.
  const reader = new DurableNotifier(createFileStore({ dir, now: clock.now }), { now: clock.now });
  const seen = record(reader.getEventBus());
  assert.deepEqual(await reader.flushDue(start + 999), []);
  assert.equal(seen.get("background_tasks_batch"), undefined);
  const due = await reader.flushDue(start + 1000);
  assert.deepEqual(
    due[0]?.tasks.map((task) => task.id),
    ["a", "b"],
  );
  assert.deepEqual(await reader.flushDue(start + 5000), [], "claimed once");
});

test("file store: a full batch is due at once and the 6th completion opens a new batch", async (t) => {
  const dir = tempDir(t);
  const clock = manualClock();
  const notifier = new DurableNotifier(createFileStore({ dir, now: clock.now }), { now: clock.now });
  for (let i = 0; i < 5; i++) await notifier.notify(finishedTask(`t${i}`, "p"));
  const sixth = await notifier.notify(finishedTask("t5", "p"));
  assert.equal(sixth.kind === "queued" && sixth.openedBatch, true);
  const due = await notifier.flushDue();
  assert.deepEqual(
    due.map((d) => d.tasks.length),
    [5],
  );
  clock.advance(1000);
  assert.deepEqual(
    (await notifier.flushDue()).map((d) => d.tasks.map((x) => x.id)),
    [["t5"]],
  );
});
