// ConcurrencyManager: tiers from model names, in-memory slots, and the same decision over recorded
// tasks (hook processes), with a denial reason that names what is running.
import assert from "node:assert/strict";
import { test } from "node:test";
import { concurrencyKeyFor } from "../../src/core/concurrency.ts";
import type { BackgroundTask } from "../../src/core/types.ts";
import { ConcurrencyManager } from "../../src/library/concurrency-manager.ts";

function agent(
  id: string,
  status: BackgroundTask["status"],
  model?: string,
  extra: Partial<BackgroundTask> = {},
): BackgroundTask {
  return {
    id,
    parentSessionId: "p",
    kind: "agent",
    description: `agent ${id}`,
    status,
    ...(model ? { model } : {}),
    ...extra,
  };
}

test("model names map to tiers; anything else is the default tier", () => {
  assert.equal(concurrencyKeyFor("claude-opus-4-1-20250805"), "opus");
  assert.equal(concurrencyKeyFor("Claude-Haiku-4-5"), "haiku");
  assert.equal(concurrencyKeyFor("sonnet"), "sonnet");
  assert.equal(concurrencyKeyFor("gpt-4o"), "default");
  assert.equal(concurrencyKeyFor(undefined), "default");
  const manager = new ConcurrencyManager({ modelConcurrency: { mini: 1 } });
  assert.equal(manager.keyFor("some-mini-model"), "mini");
  assert.deepEqual(
    ["haiku", "sonnet", "opus", "default", "mini"].map((key) => manager.limitFor(key)),
    [5, 3, 2, 3, 1],
  );
});

test("a key that is not a configured tier gets the default limit, whatever its name", () => {
  const manager = new ConcurrencyManager({ defaultConcurrency: 2 });
  for (const key of ["default", "constructor", "toString", "__proto__", "hasOwnProperty"]) {
    assert.equal(manager.limitFor(key), 2, key);
    assert.equal(manager.acquire(key, "a").allowed, true, key);
    assert.equal(manager.acquire(key, "b").allowed, true, key);
    assert.equal(manager.acquire(key, "c").allowed, false, key);
  }
});

test("acquire and release in memory, per key, 0 = unlimited", () => {
  const manager = new ConcurrencyManager({ modelConcurrency: { opus: 2, haiku: 0 } });
  assert.equal(manager.acquire("opus", "a").allowed, true);
  assert.equal(manager.acquire("opus", "b").allowed, true);
  const denied = manager.acquire("opus", "c");
  assert.equal(denied.allowed, false);
  assert.ok(!denied.allowed && /a, b/.test(denied.reason));
  assert.equal(manager.acquire("opus", "a").allowed, true, "re-acquiring a held slot is allowed");
  assert.deepEqual(manager.running("opus"), ["a", "b"]);
  manager.release("opus", "a");
  assert.equal(manager.acquire("opus", "c").allowed, true);
  for (let i = 0; i < 50; i++) assert.equal(manager.acquire("haiku", `h${i}`).allowed, true);
  assert.equal(manager.acquire("sonnet", "s").allowed, true, "keys do not share slots");
});

test("evaluate over recorded tasks counts only running tasks of that tier and names them when denying", () => {
  const manager = new ConcurrencyManager();
  const tasks = [
    agent("o1", "running", "claude-opus-4-1"),
    agent("o2", "running", undefined, { concurrencyKey: "opus", description: "" }),
    agent("o3", "completed", "claude-opus-4-1"),
    agent("o4", "pending", "claude-opus-4-1"),
    agent("s1", "running", "claude-sonnet-4-5"),
    agent("d1", "running"),
  ];
  const opus = manager.evaluate(tasks, "opus");
  assert.equal(opus.allowed, false);
  assert.equal(opus.limit, 2);
  assert.deepEqual(opus.running, ["o1 (agent o1)", "o2"]);
  assert.ok(!opus.allowed);
  assert.match(opus.reason, /2 opus background tasks are already running \(limit 2\)/);
  assert.match(opus.reason, /o1 \(agent o1\)/);
  assert.match(opus.reason, /\bo2\b/);
  assert.doesNotMatch(opus.reason, /o3|o4|s1|d1/);

  const sonnet = manager.evaluate(tasks, "sonnet");
  assert.deepEqual([sonnet.allowed, sonnet.running.length], [true, 1]);
  assert.equal(manager.evaluate(tasks, "default").allowed, true);

  const unlimited = new ConcurrencyManager({ modelConcurrency: { opus: 0 } });
  assert.equal(unlimited.evaluate(tasks, "opus").allowed, true);
  const tight = new ConcurrencyManager({ defaultConcurrency: 1 });
  const denied = tight.evaluate(tasks, "default");
  assert.ok(
    !denied.allowed && /1 default background task is already running \(limit 1\): d1/.test(denied.reason),
  );
});
