// A caller written exactly as the background-manager design (plan 21-03) calls the library, in plain
// JavaScript against the shipped bundle (argv[2]: dist/index.js). Prints "ok <n>" per check, exits 1 on failure.
import assert from "node:assert/strict";

const lib = await import(process.argv[2]);
const {
  NotificationManager,
  createNotificationManager,
  createHookEventBus,
  BackgroundManager,
  getBackgroundManager,
  resetBackgroundManager,
  formatBatchNotification,
} = lib;
let n = 0;
const ok = (what) => console.log(`ok ${++n} ${what}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const task = (id, parentSessionId, status = "completed") => ({
  id,
  parentSessionId,
  kind: "agent",
  description: `task ${id}`,
  status,
});

// 1. The class constructor with the design's config and a bus; notify is synchronous.
const eventBus = createHookEventBus();
const manager = new NotificationManager({ batchWindow: 1000, maxBatchSize: 5 }, eventBus);
assert.equal(manager.getEventBus(), eventBus);
const completed = [];
const batches = [];
eventBus.subscribe("background_task_completed", (p) => completed.push(p));
eventBus.subscribe("background_tasks_batch", (p) => batches.push({ ...p, at: Date.now() }));
const first = Date.now();
const returned = manager.notify(task("a", "parent-1"));
assert.equal(returned, undefined);
assert.equal(completed.length, 1, "background_task_completed observed before notify returned");
ok("sync notify dispatches background_task_completed before it returns");

// 2. Window flush 1000 ms after the first item, not extended by a later one.
await sleep(400);
manager.notify(task("b", "parent-1"));
await sleep(500);
assert.equal(batches.length, 0, "not yet at +900 ms");
await sleep(300);
assert.equal(batches.length, 1, "flushed by +1200 ms");
assert.ok(
  batches[0].at - first >= 990 && batches[0].at - first < 1150,
  `flushed at +${batches[0].at - first} ms`,
);
assert.deepEqual(
  batches[0].tasks.map((t) => t.id),
  ["a", "b"],
);
ok(`window flush at +${batches[0].at - first} ms from the first item`);

// 3. Max-size flush at once.
for (let i = 0; i < 5; i++) manager.notify(task(`m${i}`, "parent-2"));
assert.equal(batches.length, 2);
assert.equal(batches[1].count, 5);
ok("max-size flush at the 5th item");

// 4. The persisted notification record names the design's source.
const persisted = eventBus.recentEvents().filter((e) => e.type === "background_tasks_notification");
assert.equal(persisted.length, 2);
assert.ok(persisted.every((e) => e.source === "background-manager"));
ok("background_tasks_notification persisted with source background-manager");

// 5. flushParent, flushAll, clear (drops without flushing), the factory.
manager.notify(task("c", "parent-3"));
manager.flushParent("parent-3");
assert.equal(batches.length, 3);
manager.notify(task("d", "parent-4"));
manager.notify(task("e", "parent-5"));
manager.flushAll();
assert.equal(batches.length, 5);
manager.notify(task("f", "parent-6"));
manager.clear();
await sleep(1100);
assert.equal(batches.length, 5, "clear dropped without flushing");
assert.ok(createNotificationManager() instanceof NotificationManager);
ok("flushParent, flushAll, clear, createNotificationManager");

// 6. BackgroundManager with the design's config keys: flushes at 2, and after 150 ms.
const bm = new BackgroundManager({ notificationBatchWindow: 150, notificationMaxBatch: 2 });
const bmBatches = [];
bm.getEventBus().subscribe("background_tasks_batch", (p) => bmBatches.push(p));
const t1 = bm.launch({ parentSessionId: "p", description: "one" });
const t2 = bm.launch({ parentSessionId: "p", description: "two" });
const t3 = bm.launch({ parentSessionId: "p", description: "three" });
assert.equal(bm.completeTask(t1.id, "r1"), true);
assert.equal(bm.failTask(t2.id, "boom"), true);
assert.equal(bmBatches.length, 1, "flushed at 2");
assert.equal(bmBatches[0].failedCount, 1);
assert.equal(bm.cancelTask(t3.id), true);
assert.equal(bm.completeTask(t3.id), false, "boolean false, never a rejection");
assert.equal(bm.completeTask("nope"), false);
await sleep(100);
assert.equal(bmBatches.length, 1);
await sleep(150);
assert.equal(bmBatches.length, 2, "flushed after 150 ms");
assert.equal(bmBatches[1].cancelledCount, 1);
assert.equal(bmBatches[1].allComplete, true);
ok("BackgroundManager honours notificationBatchWindow/notificationMaxBatch; boolean returns");

// 7. clear() flushes pending notifications first.
const t4 = bm.launch({ parentSessionId: "q", description: "four" });
bm.completeTask(t4.id);
bm.clear();
assert.equal(bmBatches.length, 3);
assert.deepEqual(
  bmBatches[2].tasks.map((t) => t.id),
  [t4.id],
);
ok("BackgroundManager.clear() flushes first");

// 8. The singleton and the formatter.
resetBackgroundManager();
const single = getBackgroundManager({ notificationMaxBatch: 3 });
assert.equal(getBackgroundManager(), single);
resetBackgroundManager();
assert.equal(formatBatchNotification(3, 2, 1), "3 background tasks finished: 2 completed, 1 failed");
assert.equal(
  formatBatchNotification(3, 1, 1, 1),
  "3 background tasks finished: 1 completed, 1 failed, 1 cancelled",
);
ok("getBackgroundManager / resetBackgroundManager / formatBatchNotification");
