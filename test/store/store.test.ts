// The file store: state directory, transactions, quarantine of a damaged state.json, the event log and
// its rotation, and the load/save/clear helpers of the library surface.
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { isBgNotifyError } from "../../src/core/errors.ts";
import { parseState, taskKey } from "../../src/core/state.ts";
import type { BgState } from "../../src/core/types.ts";
import {
  clearBackgroundState,
  createEmptyState,
  loadBackgroundState,
  saveBackgroundState,
} from "../../src/index.ts";
import { DurableNotifier } from "../../src/library/durable-notifier.ts";
import { createHookEventBus } from "../../src/library/event-bus.ts";
import { createFileStore, readEventLines } from "../../src/store/file-store.ts";
import { LOCK_DIR, resolveStateDir, STATE_FILE } from "../../src/store/paths.ts";
import { withLockedState } from "../../src/store/transaction.ts";
import { finishedTask, tempDir } from "../helpers.ts";

function readStateFile(dir: string): BgState {
  const parsed = parseState(JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8")));
  assert.ok(parsed.ok, "state.json parses and validates");
  return parsed.state;
}

function addTask(id: string) {
  return (state: BgState) => {
    state.tasks[taskKey("p", id)] = finishedTask(id, "p");
  };
}

test("the state directory is created 0700 with a .gitignore of *", async (t) => {
  const dir = join(tempDir(t), "nested", "bg-notify");
  await createFileStore({ dir }).transact(addTask("a"));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.deepEqual(
    readFileSync(join(dir, ".gitignore"), "utf8")
      .split("\n")
      .filter((l) => l.trim()),
    ["*"],
  );
  assert.equal(statSync(join(dir, STATE_FILE)).mode & 0o077, 0, "state.json is private");
  // A second store over an existing directory leaves the .gitignore alone and works.
  writeFileSync(join(dir, ".gitignore"), "*\n# kept\n");
  await createFileStore({ dir }).transact(addTask("b"));
  assert.match(readFileSync(join(dir, ".gitignore"), "utf8"), /# kept/);
  assert.deepEqual(Object.keys(readStateFile(dir).tasks).sort(), ["p/a", "p/b"]);
});

test("the state directory: BG_NOTIFY_STATE_DIR, else <CLAUDE_PROJECT_DIR or cwd>/.claude/bg-notify", () => {
  assert.equal(
    resolveStateDir({ env: { BG_NOTIFY_STATE_DIR: "/x/state", CLAUDE_PROJECT_DIR: "/y" }, cwd: "/z" }),
    "/x/state",
  );
  assert.equal(resolveStateDir({ env: { CLAUDE_PROJECT_DIR: "/y" }, cwd: "/z" }), "/y/.claude/bg-notify");
  assert.equal(resolveStateDir({ env: {}, cwd: "/z" }), "/z/.claude/bg-notify");
  assert.equal(resolveStateDir({ env: { BG_NOTIFY_STATE_DIR: "rel" }, cwd: "/z" }), resolve("rel"));
});

async function validStateText(t: import("node:test").TestContext): Promise<string> {
  const dir = tempDir(t, "valid");
  const manager = new DurableNotifier(createFileStore({ dir }));
  for (let i = 0; i < 3; i++) await manager.notify(finishedTask(`v${i}`, "p"));
  return readFileSync(join(dir, STATE_FILE), "utf8");
}

test("a damaged state.json is quarantined with one warning and the transaction goes on", async (t) => {
  const valid = await validStateText(t);
  const damaged: Record<string, string> = {
    garbage: "\u0000\u0001 not json at all {{{",
    empty: "",
    truncated: valid.slice(0, Math.floor(valid.length / 2)),
    "wrong schema": JSON.stringify({ version: 1, tasks: [], batches: {}, ledger: 1, updatedAt: "x" }),
    "wrong task": JSON.stringify({
      ...JSON.parse(valid),
      tasks: { "p/x": { id: "x", status: "exploded" } },
    }),
    "future version": JSON.stringify({ ...JSON.parse(valid), version: 2 }),
    "no version": JSON.stringify({ tasks: {} }),
  };
  for (const [label, text] of Object.entries(damaged)) {
    const dir = tempDir(t, "corrupt");
    writeFileSync(join(dir, STATE_FILE), text);
    const store = createFileStore({ dir });

    // A lock-free read survives it too, and repairs nothing.
    const readWarnings: string[] = [];
    assert.deepEqual(loadBackgroundState(dir, readWarnings).tasks, {}, label);
    assert.equal(readWarnings.length, 1, label);
    assert.equal(readFileSync(join(dir, STATE_FILE), "utf8"), text, `${label}: a read leaves the file`);

    const result = await store.transact((state) => {
      addTask("fresh")(state);
      return "ran";
    });
    assert.equal(result, "ran", label);
    assert.equal(store.warnings.length, 1, `${label}: ${store.warnings.join(" | ")}`);
    assert.match(store.warnings[0]!, /damaged/, label);
    assert.doesNotMatch(store.warnings[0]!, /\n/, label);
    const aside = readdirSync(dir).filter((name) => /^state\.corrupt-.*\.json$/.test(name));
    assert.equal(aside.length, 1, label);
    assert.equal(readFileSync(join(dir, aside[0]!), "utf8"), text, `${label}: the damaged bytes are kept`);
    assert.ok(store.warnings[0]!.includes(aside[0]!), `${label}: the warning says where it went`);
    assert.deepEqual(Object.keys(readStateFile(dir).tasks), ["p/fresh"], label);

    // The next transaction is an ordinary one.
    await store.transact(addTask("next"));
    assert.equal(store.warnings.length, 1, label);
    assert.deepEqual(Object.keys(readStateFile(dir).tasks).sort(), ["p/fresh", "p/next"], label);
  }
});

test("a notify over a damaged state still records and delivers the completion", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, STATE_FILE), '{"version":1,"tasks":');
  const store = createFileStore({ dir });
  const manager = new DurableNotifier(store);
  assert.equal((await manager.notify(finishedTask("a", "p"))).kind, "queued");
  assert.equal(store.warnings.length, 1);
  const [delivery] = await manager.flushParent("p");
  assert.deepEqual(
    delivery?.tasks.map((task) => task.id),
    ["a"],
  );
});

test("an update that throws changes nothing and releases the lock", async (t) => {
  const dir = tempDir(t);
  await withLockedState(dir, addTask("a"));
  const before = readFileSync(join(dir, STATE_FILE), "utf8");
  await assert.rejects(
    withLockedState(dir, (state) => {
      addTask("b")(state);
      throw new Error("changed my mind");
    }),
    /changed my mind/,
  );
  assert.equal(readFileSync(join(dir, STATE_FILE), "utf8"), before);
  assert.equal(existsSync(join(dir, LOCK_DIR)), false);
  // Not waiting on a leftover lock: with no retries this fails at once if the lock were still held.
  await withLockedState(dir, addTask("c"), { retries: 0 });
  assert.deepEqual(Object.keys(readStateFile(dir).tasks).sort(), ["p/a", "p/c"]);
});

test("a held lock fails fast with ELOCKED when no retries are allowed; a dead holder's lock is taken over", async (t) => {
  const dir = tempDir(t);
  await withLockedState(dir, addTask("a"));
  mkdirSync(join(dir, LOCK_DIR));
  await assert.rejects(withLockedState(dir, addTask("b"), { retries: 0 }), (error) =>
    isBgNotifyError(error, "ELOCKED"),
  );
  // A holder killed 5 s ago stopped refreshing its lock: it is stale and gets taken over.
  const past = new Date(Date.now() - 5000);
  utimesSync(join(dir, LOCK_DIR), past, past);
  await withLockedState(dir, addTask("b"));
  assert.deepEqual(Object.keys(readStateFile(dir).tasks).sort(), ["p/a", "p/b"]);
});

test("orphaned temp files of a killed writer are cleaned up by later writers", async (t) => {
  const dir = tempDir(t);
  await withLockedState(dir, addTask("seed"));
  const orphan = join(dir, `${STATE_FILE}.99999.deadbeef.tmp`);
  const fresh = join(dir, `${STATE_FILE}.99998.cafebabe.tmp`);
  writeFileSync(orphan, "{");
  writeFileSync(fresh, "{");
  const old = new Date(Date.now() - 60_000);
  utimesSync(orphan, old, old);
  // Cleanup is sampled per commit; 400 commits make missing it vanishingly unlikely (0.95^400).
  for (let i = 0; i < 400 && existsSync(orphan); i++) await withLockedState(dir, addTask(`t${i}`));
  assert.equal(existsSync(orphan), false, "the old orphan is gone");
  assert.equal(existsSync(fresh), true, "a temp file young enough to belong to a live writer stays");
});

test("events.jsonl records id, ISO time, type, payload and source, one JSON line each", (t) => {
  const dir = tempDir(t);
  const at = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
  const bus = createHookEventBus({ store: createFileStore({ dir }), now: () => at });
  const returned = bus.emitToEventSystem({ type: "custom", payload: { n: 1, s: "x\ny" }, source: "test" });
  bus.emitToEventSystem({ type: "custom", payload: { n: 2 }, source: "test" });
  const lines = readFileSync(join(dir, "events.jsonl"), "utf8").split("\n").filter(Boolean);
  assert.equal(lines.length, 2);
  const records = lines.map((line) => JSON.parse(line));
  assert.deepEqual(Object.keys(records[0]).sort(), ["id", "payload", "source", "time", "type"]);
  assert.deepEqual(records[0], returned);
  assert.equal(records[0].time, "2030-01-02T03:04:05.678Z");
  assert.deepEqual(records[0].payload, { n: 1, s: "x\ny" });
  assert.equal(records[0].type, "custom");
  assert.equal(records[0].source, "test");
  assert.notEqual(records[0].id, records[1].id);
  assert.deepEqual(readEventLines(dir), records);
});

test("events.jsonl rotates past its size bound and keeps the newest records", (t) => {
  const dir = tempDir(t);
  const bus = createHookEventBus({ store: createFileStore({ dir }) });
  const blob = "x".repeat(100_000);
  for (let i = 0; i < 40; i++) bus.emitToEventSystem({ type: "big", payload: { i, blob }, source: "test" });
  const files = readdirSync(dir).filter((name) => name.startsWith("events"));
  assert.deepEqual(files.sort(), ["events.1.jsonl", "events.jsonl"]);
  const total = files.reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  assert.ok(total < 2.5 * 1024 * 1024, `4 MB written, ${total} bytes kept`);
  const kept = readEventLines(dir).map((r) => (r.payload as { i: number }).i);
  assert.equal(kept.at(-1), 39, "the newest record is kept");
  assert.deepEqual(
    kept,
    kept.map((_, k) => kept[0]! + k),
    "kept records are the newest, in order",
  );
});

test("saveBackgroundState, loadBackgroundState and clearBackgroundState", async (t) => {
  const dir = tempDir(t);
  assert.deepEqual(loadBackgroundState(dir), createEmptyState(), "nothing saved yet");
  const state = createEmptyState(5);
  state.tasks[taskKey("p", "a")] = finishedTask("a", "p", "cancelled");
  state.ledger["p/a#0:cancelled"] = 5;
  state.batches.push({
    id: "b-1",
    parentSessionId: "p",
    openedAt: 5,
    items: [{ key: "p/a#0:cancelled", recordedAt: 5, task: finishedTask("a", "p", "cancelled") }],
  });
  await saveBackgroundState(state, dir);
  const loaded = loadBackgroundState(dir);
  assert.deepEqual({ ...loaded, updatedAt: 0 }, { ...state, updatedAt: 0 });
  assert.deepEqual(readStateFile(dir).tasks, state.tasks);

  // Saving replaces, it does not merge.
  await saveBackgroundState(createEmptyState(), dir);
  assert.deepEqual(loadBackgroundState(dir).tasks, {});

  await saveBackgroundState(state, dir);
  await clearBackgroundState(dir);
  const cleared = loadBackgroundState(dir);
  assert.deepEqual({ ...cleared, updatedAt: 0 }, createEmptyState());
});

test("recovery keeps every valid journal line: a planted or foreign line is skipped and counted", async (t) => {
  const dir = tempDir(t, "poisoned");
  const recorded = (id: string, batchId: string) =>
    JSON.stringify({
      t: "recorded",
      at: 1000,
      key: `p/${id}#0:completed`,
      batchId,
      task: finishedTask(id, "p"),
    });
  const lines = [
    recorded("t1", "b-one"),
    "{ cut short by a kill",
    // Another version's line, a hand edit, a planted one: each fails the schema on its own.
    JSON.stringify({
      t: "recorded",
      at: 1000,
      key: "p/x#0:done",
      batchId: "b-one",
      task: { id: "x", status: "done" },
    }),
    JSON.stringify({ t: "recorded", at: "soon", key: "p/y", batchId: "b-one", task: finishedTask("y", "p") }),
    JSON.stringify({ t: "claimed", at: 1000, batchId: "../../etc" }),
    JSON.stringify({
      t: "recorded",
      at: 1001,
      key: "p/z#0:completed",
      batchId: "b-one",
      task: { ...finishedTask("z", "p"), parentSessionId: "../x" },
    }),
    recorded("t2", "b-one"),
    recorded("t3", "b-two"),
  ];
  writeFileSync(join(dir, "journal.jsonl"), `${lines.join("\n")}\n`);
  writeFileSync(join(dir, STATE_FILE), "{ damaged");
  const store = createFileStore({ dir });
  await store.transact(() => undefined);
  assert.equal(store.warnings.length, 1);
  assert.match(store.warnings[0]!, /3 undelivered completions recovered/);
  assert.match(store.warnings[0]!, /4 log lines skipped/);
  const state = readStateFile(dir);
  assert.deepEqual(state.batches.flatMap((b) => b.items.map((i) => i.task.id)).sort(), ["t1", "t2", "t3"]);
});
