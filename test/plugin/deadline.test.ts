// The hook's deadline: the handler's result in time, else the fallback, and no timer for work that never waits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { withDeadline } from "../../src/plugin/runtime.ts";

test("work that never waits gets its result and sets no timer (node's first costs ~0.5 ms)", async (t) => {
  const set = t.mock.method(globalThis, "setTimeout");
  assert.equal(await withDeadline(Promise.resolve("done"), 5_000, () => "late"), "done");
  assert.equal(set.mock.callCount(), 0);
});

test("work that outlasts the deadline gets the fallback, not before the deadline", async () => {
  const started = Date.now();
  const never = new Promise<string>(() => undefined);
  assert.equal(await withDeadline(never, 150, () => "late"), "late");
  assert.ok(Date.now() - started >= 140, `gave up after ${Date.now() - started} ms`);
});

test("work that waits but ends in time gets its result; a failure stays a failure", async () => {
  const inTime = new Promise<string>((resolve) => setTimeout(() => resolve("done"), 20));
  assert.equal(await withDeadline(inTime, 60_000, () => "late"), "done");
  await assert.rejects(
    withDeadline(Promise.reject(new Error("boom")), 60_000, () => "late"),
    /boom/,
  );
});

test("a deadline counts from the start even if the event loop was held up before it turned", async (t) => {
  const set = t.mock.method(globalThis, "setTimeout");
  const started = Date.now();
  const racing = withDeadline(new Promise<string>(() => undefined), 100, () => "late");
  while (Date.now() - started < 150); // a synchronous stretch past the deadline
  assert.equal(await racing, "late");
  assert.equal(set.mock.callCount(), 1);
  assert.equal(set.mock.calls[0]?.arguments[1], 0, "the time left, not the whole deadline again");
});
