// NotificationManager semantics over both stores: per-parent queues, one completion event per notify,
// batch counts (cancelled included), allComplete, the persisted notification record, clear().
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import type {
  BackgroundTaskCompletedPayload,
  BackgroundTasksBatchPayload,
  BackgroundTasksNotificationPayload,
} from "../../src/event-bus.ts";
import { createMemoryStore } from "../../src/memory-store.ts";
import { createNotificationManager, type NotificationManager } from "../../src/notification-manager.ts";
import { taskKey } from "../../src/state.ts";
import { createFileStore, readEventLines, type StateStore } from "../../src/store.ts";
import type { BackgroundTask } from "../../src/types.ts";
import { finishedTask, manualClock, record, settle, tempDir } from "./helpers.ts";

type StoreKind = "memory" | "file";

function setup(t: import("node:test").TestContext, kind: StoreKind) {
  const clock = manualClock();
  const dir = kind === "file" ? tempDir(t) : undefined;
  const store: StateStore = dir ? createFileStore({ dir, now: clock.now }) : createMemoryStore();
  // Timers off for both: these tests flush explicitly; the window itself is tested elsewhere.
  const manager = createNotificationManager({ timers: false, now: clock.now }, undefined, store);
  const seen = record(manager.getEventBus());
  return {
    clock,
    dir,
    store,
    manager,
    completed: () => (seen.get("background_task_completed") ?? []) as BackgroundTaskCompletedPayload[],
    batches: () => (seen.get("background_tasks_batch") ?? []) as BackgroundTasksBatchPayload[],
  };
}

async function addActive(store: StateStore, task: BackgroundTask): Promise<void> {
  await store.transact((state) => {
    state.tasks[taskKey(task.parentSessionId, task.id)] = task;
  });
}

function running(
  id: string,
  parentSessionId: string,
  status: "running" | "pending" = "running",
): BackgroundTask {
  return { id, parentSessionId, kind: "agent", description: `sibling ${id}`, status, background: true };
}

for (const kind of ["memory", "file"] as const) {
  test(`${kind} store: parents are batched in isolation`, async (t) => {
    const { manager, batches } = setup(t, kind);
    for (let i = 0; i < 4; i++) {
      await manager.notify(finishedTask(`a${i}`, "parent-A"));
      await manager.notify(finishedTask(`b${i}`, "parent-B"));
    }
    // A's 5th flushes A alone; B keeps its 4 queued.
    const fifth = await manager.notify(finishedTask("a4", "parent-A"));
    assert.equal(fifth.flushed.length, 1);
    assert.equal(batches().length, 1);
    assert.equal(batches()[0]?.parentSessionId, "parent-A");
    assert.deepEqual(
      batches()[0]?.tasks.map((task) => task.id),
      ["a0", "a1", "a2", "a3", "a4"],
    );

    const b = await manager.flushParent("parent-B");
    assert.equal(b.length, 1);
    assert.equal(b[0]?.parentSessionId, "parent-B");
    assert.deepEqual(
      b[0]?.tasks.map((task) => task.id),
      ["b0", "b1", "b2", "b3"],
    );
    assert.deepEqual(await manager.flushParent("parent-A"), [], "nothing of A is left owed");
    assert.deepEqual(await manager.flushAll(), []);
  });

  test(`${kind} store: one background_task_completed per notify, none for a repeat`, async (t) => {
    const { manager, completed, batches } = setup(t, kind);
    const task = finishedTask("x", "parent-1", "error", { sessionId: "child-session" });
    const first = await manager.notify(task);
    assert.equal(first.kind, "queued");
    assert.deepEqual(completed(), [
      {
        taskId: "x",
        sessionId: "child-session",
        parentSessionId: "parent-1",
        status: "error",
        error: "error of x",
      },
    ]);

    const again = await manager.notify({ ...task });
    assert.equal(again.kind, "duplicate");
    assert.equal(completed().length, 1);

    await manager.flushParent("parent-1");
    const afterDelivery = await manager.notify({ ...task });
    assert.equal(afterDelivery.kind, "duplicate");
    assert.equal(completed().length, 1);
    assert.equal(batches().length, 1);
    assert.equal(batches()[0]?.count, 1, "the repeat did not join the batch twice");

    // No parent, or not finished: ignored, nothing dispatched.
    assert.equal((await manager.notify(finishedTask("orphan", ""))).kind, "ignored");
    assert.equal((await manager.notify(running("busy", "parent-1"))).kind, "ignored");
    assert.equal(completed().length, 1);
  });

  test(`${kind} store: batch counts include cancelled tasks`, async (t) => {
    const { manager, batches, store, dir } = setup(t, kind);
    const statuses = ["completed", "cancelled", "error", "completed", "cancelled"] as const;
    for (const [i, status] of statuses.entries()) await manager.notify(finishedTask(`t${i}`, "p", status));
    assert.equal(batches().length, 1);
    const batch = batches()[0]!;
    assert.deepEqual(
      {
        count: batch.count,
        completedCount: batch.completedCount,
        failedCount: batch.failedCount,
        cancelledCount: batch.cancelledCount,
      },
      { count: 5, completedCount: 2, failedCount: 1, cancelledCount: 2 },
    );

    // The persisted record carries the same counts and every task id.
    const events =
      kind === "memory" ? (store as ReturnType<typeof createMemoryStore>).events : readEventLines(dir!);
    const persisted = events.filter((e) => e.type === "background_tasks_notification");
    assert.equal(persisted.length, 1);
    const payload = persisted[0]?.payload as BackgroundTasksNotificationPayload;
    assert.equal(payload.parentSessionId, "p");
    assert.deepEqual([...payload.taskIds].sort(), ["t0", "t1", "t2", "t3", "t4"]);
    assert.equal(payload.count, 5);
    assert.equal(payload.completedCount, 2);
    assert.equal(payload.failedCount, 1);
    assert.equal(payload.cancelledCount, 2);
    assert.equal(events.filter((e) => e.type === "background_task_completed").length, 5);
  });

  test(`${kind} store: allComplete is false while a sibling of the same parent is pending or running`, async (t) => {
    const { manager, store, batches } = setup(t, kind);
    await addActive(store, running("sib-run", "p"));
    await addActive(store, running("sib-pending", "p", "pending"));
    // Another parent's running task must not count against p.
    await addActive(store, running("other", "q"));

    await manager.notify(finishedTask("t1", "p"));
    await manager.flushParent("p");
    assert.equal(batches()[0]?.allComplete, false);
    assert.equal(batches()[0]?.stillRunning, 2);

    await manager.notify(finishedTask("sib-run", "p", "completed"));
    await manager.flushParent("p");
    assert.equal(batches()[1]?.allComplete, false, "the pending sibling still counts");
    assert.equal(batches()[1]?.stillRunning, 1);

    await manager.notify(finishedTask("sib-pending", "p", "cancelled"));
    const [last] = await manager.flushParent("p");
    assert.equal(batches()[2]?.allComplete, true);
    assert.equal(batches()[2]?.stillRunning, 0);
    assert.equal(last?.allComplete, true);

    await manager.notify(finishedTask("q1", "q"));
    await manager.flushParent("q");
    assert.equal(batches()[3]?.allComplete, false, "q still has its own running task");
  });

  test(`${kind} store: clear() drops queued batches without flushing them`, async (t) => {
    const { manager, batches } = setup(t, kind);
    await manager.notify(finishedTask("a", "p"));
    await manager.notify(finishedTask("b", "q"));
    await manager.clear();
    assert.deepEqual(await manager.flushAll(), []);
    assert.equal(batches().length, 0);
  });
}

test("memory store: clear() also stops the pending window timers", async (t) => {
  mock.timers.enable({ apis: ["setTimeout"] });
  t.after(() => mock.timers.reset());
  const manager: NotificationManager = createNotificationManager({}, undefined, createMemoryStore());
  const seen = record(manager.getEventBus());
  await manager.notify(finishedTask("a", "p"));
  await manager.clear();
  mock.timers.tick(5000);
  await settle();
  assert.equal(seen.get("background_tasks_batch"), undefined);
});

test("flushAll delivers every parent's owed batches, window open or not", async (t) => {
  const { manager, batches } = setup(t, "file");
  await manager.notify(finishedTask("a", "p"));
  await manager.notify(finishedTask("b", "q"));
  const delivered = await manager.flushAll();
  assert.deepEqual(delivered.map((d) => d.parentSessionId).sort(), ["p", "q"]);
  assert.equal(batches().length, 2);
});

test("the default event bus persists through the store it was given", async (t) => {
  const dir = tempDir(t);
  const manager = createNotificationManager({ timers: false }, undefined, createFileStore({ dir }));
  await manager.notify(finishedTask("a", "p"));
  await manager.flushParent("p");
  const types = readEventLines(dir).map((e) => e.type);
  assert.deepEqual(types, ["background_task_completed", "background_tasks_notification"]);
});
