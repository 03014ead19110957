// The design's NotificationManager (in-process, synchronous, timer-driven) and the hooks' DurableNotifier
// (file store, lazy windows): per-parent batching, one completion event per notify, counts, allComplete,
// the persisted notification record, clear().
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { taskKey } from "../../src/core/state.ts";
import type { BackgroundTask } from "../../src/core/types.ts";
import { DurableNotifier } from "../../src/library/durable-notifier.ts";
import type {
  BackgroundTaskCompletedPayload,
  BackgroundTasksBatchPayload,
  BackgroundTasksNotificationPayload,
} from "../../src/library/event-bus.ts";
import { NotificationManager } from "../../src/library/notification-manager.ts";
import { createFileStore, readEventLines } from "../../src/store/file-store.ts";
import { finishedTask, manualClock, record, tempDir } from "../helpers.ts";

function running(
  id: string,
  parentSessionId: string,
  status: "running" | "pending" = "running",
): BackgroundTask {
  return { id, parentSessionId, kind: "agent", description: `sibling ${id}`, status, background: true };
}

test("memory: parents are batched in isolation, the 5th flushes its parent alone", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const manager = new NotificationManager();
  const seen = record(manager.getEventBus());
  for (let i = 0; i < 4; i++) {
    manager.notify(finishedTask(`a${i}`, "parent-A"));
    manager.notify(finishedTask(`b${i}`, "parent-B"));
  }
  manager.notify(finishedTask("a4", "parent-A"));
  const batches = seen.get("background_tasks_batch") as BackgroundTasksBatchPayload[];
  assert.equal(batches.length, 1);
  assert.equal(batches[0]?.parentSessionId, "parent-A");
  assert.deepEqual(
    batches[0]?.tasks.map((x) => x.id),
    ["a0", "a1", "a2", "a3", "a4"],
  );
  assert.equal(manager.pendingCount("parent-B"), 4);
  manager.flushParent("parent-B");
  assert.equal(batches.length, 2);
  assert.equal(batches[1]?.parentSessionId, "parent-B");
  manager.clear();
});

test("memory: background_task_completed is dispatched before notify returns, once per completion", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const manager = new NotificationManager();
  const seen: BackgroundTaskCompletedPayload[] = [];
  manager.getEventBus().subscribe("background_task_completed", (p) => seen.push(p));
  manager.notify(finishedTask("a", "p"));
  assert.equal(seen.length, 1, "dispatched synchronously");
  assert.equal(seen[0]?.taskId, "a");
  manager.notify(finishedTask("a", "p"));
  assert.equal(seen.length, 1, "a repeat is ignored");
  manager.clear();
});

test("memory: counts include cancelled; the persisted record says background-manager", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const manager = new NotificationManager();
  const seen = record(manager.getEventBus());
  manager.notify(finishedTask("ok", "p"));
  manager.notify(finishedTask("bad", "p", "error"));
  manager.notify(finishedTask("stop", "p", "cancelled"));
  manager.flushAll();
  const [batch] = seen.get("background_tasks_batch") as BackgroundTasksBatchPayload[];
  assert.deepEqual(
    [batch?.count, batch?.completedCount, batch?.failedCount, batch?.cancelledCount],
    [3, 1, 1, 1],
  );
  const persisted = manager
    .getEventBus()
    .recentEvents()
    .filter((e) => e.type === "background_tasks_notification");
  assert.equal(persisted.length, 1);
  assert.equal(persisted[0]?.source, "background-manager");
  assert.equal((persisted[0]!.payload as BackgroundTasksNotificationPayload).cancelledCount, 1);
});

test("memory: allComplete follows the running count it is given", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  let runningNow = 1;
  const manager = new NotificationManager({}, undefined, { stillRunning: () => runningNow });
  const seen = record(manager.getEventBus());
  manager.notify(finishedTask("a", "p"));
  manager.flushParent("p");
  runningNow = 0;
  manager.notify(finishedTask("b", "p"));
  manager.flushParent("p");
  const batches = seen.get("background_tasks_batch") as BackgroundTasksBatchPayload[];
  assert.deepEqual(
    batches.map((b) => [b.stillRunning, b.allComplete]),
    [
      [1, false],
      [0, true],
    ],
  );
});

test("memory: clear() drops queued batches without flushing them and stops their timers", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const manager = new NotificationManager();
    const seen = record(manager.getEventBus());
    manager.notify(finishedTask("a", "p"));
    manager.clear();
    mock.timers.tick(5000);
    assert.equal(seen.get("background_tasks_batch"), undefined);
    assert.equal(manager.pendingCount("p"), 0);
  } finally {
    mock.timers.reset();
  }
});

test("durable: one background_task_completed per recorded completion, persisted with key and batch", async (t) => {
  const dir = tempDir(t);
  const notifier = new DurableNotifier(createFileStore({ dir }));
  const seen = record(notifier.getEventBus());
  assert.equal((await notifier.notify(finishedTask("a", "p"))).kind, "queued");
  assert.equal((await notifier.notify(finishedTask("a", "p"))).kind, "duplicate");
  assert.equal((seen.get("background_task_completed") ?? []).length, 1);
  const lines = readEventLines(dir).filter((e) => e.type === "background_task_completed");
  assert.equal(lines.length, 1);
  const payload = lines[0]?.payload as Record<string, unknown>;
  assert.equal(payload["taskId"], "a");
  assert.equal(typeof payload["key"], "string");
  assert.equal(typeof payload["batchId"], "string");
});

test("durable: allComplete is false while a sibling of the same parent is pending or running", async (t) => {
  const dir = tempDir(t);
  const store = createFileStore({ dir });
  const notifier = new DurableNotifier(store);
  await store.transact((state) => {
    state.tasks[taskKey("p", "sib")] = running("sib", "p", "pending");
    state.tasks[taskKey("q", "other")] = running("other", "q");
  });
  await notifier.notify(finishedTask("a", "p"));
  const [first] = await notifier.flushParent("p");
  assert.equal(first?.allComplete, false);
  assert.equal(first?.stillRunning, 1);
  await store.transact((state) => {
    delete state.tasks[taskKey("p", "sib")];
  });
  await notifier.notify(finishedTask("b", "p"));
  const [second] = await notifier.flushParent("p");
  assert.equal(second?.allComplete, true, "another parent's running task does not count");
  const persisted = readEventLines(dir).filter((e) => e.type === "background_tasks_notification");
  assert.equal(persisted.length, 2);
});

test("durable: clear() drops queued batches; flushAll delivers every parent's, window open or not", async (t) => {
  const dir = tempDir(t);
  const clock = manualClock();
  const notifier = new DurableNotifier(createFileStore({ dir, now: clock.now }), { now: clock.now });
  await notifier.notify(finishedTask("a", "p"));
  await notifier.clear();
  assert.deepEqual(await notifier.flushAll(), []);
  await notifier.notify(finishedTask("b", "p"));
  await notifier.notify(finishedTask("c", "q"));
  const all = await notifier.flushAll();
  assert.deepEqual(all.map((d) => d.parentSessionId).sort(), ["p", "q"]);
});
