// HookEventBus: synchronous dispatch with listener errors isolated, unsubscribe, wildcard listeners,
// and the memory store's bounded event log.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DurableNotifier } from "../../src/library/durable-notifier.ts";
import { createHookEventBus } from "../../src/library/event-bus.ts";
import { createMemoryStore } from "../../src/store/memory-store.ts";
import { finishedTask } from "../helpers.ts";

test("dispatch calls listeners synchronously and in order; unsubscribe stops one listener", () => {
  const bus = createHookEventBus();
  const calls: string[] = [];
  const off = bus.subscribe("background_task_completed", (p) => calls.push(`a:${p.taskId}`));
  bus.subscribe("background_task_completed", (p) => calls.push(`b:${p.taskId}`));
  bus.subscribe("*", (_p, type) => calls.push(`*:${type}`));
  bus.subscribe("background_tasks_batch", () => calls.push("batch"));
  bus.dispatch("background_task_completed", { taskId: "1", parentSessionId: "p", status: "completed" });
  assert.deepEqual(calls, ["a:1", "b:1", "*:background_task_completed"], "ran before dispatch returned");
  off();
  off();
  bus.dispatch("background_task_completed", { taskId: "2", parentSessionId: "p", status: "completed" });
  assert.deepEqual(calls.slice(3), ["b:2", "*:background_task_completed"]);
});

test("a throwing listener neither stops the others nor reaches the dispatcher", () => {
  const reported: string[] = [];
  const bus = createHookEventBus({
    onListenerError: (error, type) => reported.push(`${type}:${String(error)}`),
  });
  const calls: string[] = [];
  bus.subscribe("x", () => {
    throw new Error("first");
  });
  bus.subscribe("x", () => calls.push("second"));
  bus.subscribe("*", () => {
    throw new Error("wild");
  });
  bus.subscribe("*", () => calls.push("wild ok"));
  assert.doesNotThrow(() => bus.dispatch("x", {}));
  assert.deepEqual(calls, ["second", "wild ok"]);
  assert.deepEqual(reported, ["x:Error: first", "x:Error: wild"]);
  assert.equal(bus.listenerErrors.length, 2);
});

test("a listener that unsubscribes during dispatch does not disturb the others", () => {
  const bus = createHookEventBus();
  const calls: string[] = [];
  const off = bus.subscribe("x", () => {
    calls.push("once");
    off();
  });
  bus.subscribe("x", () => calls.push("always"));
  bus.dispatch("x", {});
  bus.dispatch("x", {});
  assert.deepEqual(calls, ["once", "always", "always"]);
});

test("a listener throwing inside notify does not fail the notify or lose the completion", async () => {
  const store = createMemoryStore();
  const manager = new DurableNotifier(store);
  manager.getEventBus().subscribe("background_task_completed", () => {
    throw new Error("listener bug");
  });
  const outcome = await manager.notify(finishedTask("a", "p"));
  assert.equal(outcome.kind, "queued");
  const [delivery] = await manager.flushParent("p");
  assert.deepEqual(
    delivery?.tasks.map((t) => t.id),
    ["a"],
  );
  assert.equal(manager.getEventBus().listenerErrors.length, 1);
});

test("the memory store keeps a bounded event log, newest last", () => {
  const store = createMemoryStore(undefined, 3);
  const bus = createHookEventBus({ store, now: () => 0 });
  for (let i = 0; i < 5; i++) bus.emitToEventSystem({ type: "n", payload: i, source: "test" });
  assert.deepEqual(
    store.events.map((e) => e.payload),
    [2, 3, 4],
  );
  assert.equal(store.events[0]?.time, "1970-01-01T00:00:00.000Z");
});

test("the memory store's transactions are serialised and a throwing update changes nothing", async () => {
  const store = createMemoryStore();
  const order: number[] = [];
  await Promise.all(
    [1, 2, 3].map((n) =>
      store.transact((state) => {
        order.push(n);
        state.ledger[`k${n}`] = n;
      }),
    ),
  );
  assert.deepEqual(order, [1, 2, 3]);
  await assert.rejects(
    store.transact((state) => {
      state.ledger["bad"] = 1;
      throw new Error("no");
    }),
  );
  assert.deepEqual(Object.keys((await store.read()).ledger), ["k1", "k2", "k3"]);
  // Reads are copies: changing one does not reach the store.
  (await store.read()).ledger["leak"] = 1;
  assert.equal((await store.read()).ledger["leak"], undefined);
});
