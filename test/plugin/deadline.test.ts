// The hook's deadline: the handler's result in time, else the fallback, and no timer for work that never waits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { withDeadline } from "../../src/plugin/runtime.ts";

test("work that never waits gets its result and sets no timer (node's first costs ~0.5 ms)", async (t) => {
  const set = t.mock.method(globalThis, "setTimeout");
  assert.equal(await withDeadline(Promise.resolve("done"), 5_000, () => "late"), "done");
  assert.equal(set.mock.callCount(), 0);
});

test("work that outlasts the deadline gets the fallback, about when the deadline passes", async () => {
  const started = Date.now();
  const slow = new Promise<string>((resolve) => setTimeout(() => resolve("done"), 1_000).unref());
  assert.equal(await withDeadline(slow, 150, () => "late"), "late");
  const took = Date.now() - started;
  assert.ok(took >= 140 && took < 900, `gave up after ${took} ms`);
});

test("work that waits but ends in time gets its result; a failure stays a failure", async () => {
  const inTime = new Promise<string>((resolve) => setTimeout(() => resolve("done"), 20));
  assert.equal(await withDeadline(inTime, 2_000, () => "late"), "done");
  await assert.rejects(
    withDeadline(Promise.reject(new Error("boom")), 2_000, () => "late"),
    /boom/,
  );
});

test("a deadline counts from the start even if the event loop was held up before it turned", async () => {
  const started = Date.now();
  const never = new Promise<string>(() => undefined);
  const racing = withDeadline(never, 100, () => "late");
  while (Date.now() - started < 150); // a synchronous stretch past the deadline
  assert.equal(await racing, "late");
  assert.ok(Date.now() - started < 400);
});
