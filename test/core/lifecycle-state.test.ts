// The pure pieces under the managers: the task state machine, Claude Code's status words, completion
// keys across resumes, and pruning of the persisted state.
import assert from "node:assert/strict";
import { test } from "node:test";
import { enqueueCompletion } from "../../src/core/batching.ts";
import { isBgNotifyError } from "../../src/core/errors.ts";
import { canTransition, resumeTask, statusFromClaude, transitionTask } from "../../src/core/lifecycle.ts";
import { createEmptyState, parseState, phaseOf, pruneState, taskKey } from "../../src/core/state.ts";
import type { Batch, TaskStatus } from "../../src/core/types.ts";
import { finishedTask } from "../helpers.ts";

const statuses: TaskStatus[] = ["pending", "running", "completed", "error", "cancelled"];

test("the state machine: forward only, terminal states are final", () => {
  const allowed = new Set([
    "pending>running",
    "pending>completed",
    "pending>error",
    "pending>cancelled",
    "running>completed",
    "running>error",
    "running>cancelled",
  ]);
  for (const from of statuses) {
    for (const to of statuses) {
      const label = `${from}>${to}`;
      assert.equal(canTransition(from, to), allowed.has(label), label);
      const task = { ...finishedTask("t", "p"), status: from };
      if (allowed.has(label)) {
        const next = transitionTask(task, to, 50, {});
        assert.equal(next.status, to, label);
        assert.equal(task.status, from, `${label}: the input is not mutated`);
      } else {
        assert.throws(
          () => transitionTask(task, to, 50),
          (e) => isBgNotifyError(e, "ETRANSITION"),
          label,
        );
      }
    }
  }
  const started = transitionTask({ ...finishedTask("t", "p"), status: "pending" }, "running", 10);
  assert.deepEqual([started.startedAt, started.lastProgressAt], [10, 10]);
  const done = transitionTask(started, "cancelled", 20);
  assert.equal(done.completedAt, 20);
});

test("Claude Code's words: failed → error, killed → cancelled", () => {
  assert.equal(statusFromClaude("completed"), "completed");
  assert.equal(statusFromClaude(" Failed "), "error");
  assert.equal(statusFromClaude("killed"), "cancelled");
  assert.equal(statusFromClaude("something new"), "error");
});

test("a resumed task's next completion is a new one, a repeat of the old one is not", () => {
  const state = createEmptyState();
  const limits = { batchWindowMs: 1000, maxBatchSize: 5 };
  const first = finishedTask("agent-1", "p");
  assert.equal(enqueueCompletion(state, first, 1, limits).kind, "queued");
  assert.equal(enqueueCompletion(state, { ...first }, 2, limits).kind, "duplicate");
  const resumed = resumeTask(first, 3);
  assert.equal(resumed.status, "running");
  assert.equal(resumed.generation, 1);
  assert.equal(resumed.result, undefined);
  assert.equal(enqueueCompletion(state, resumed, 4, limits).kind, "ignored", "still running");
  const again = transitionTask(resumed, "completed", 5, { result: "second" });
  assert.equal(enqueueCompletion(state, again, 5, limits).kind, "queued");
  assert.equal(state.batches[0]?.items.length, 2);
});

test("pruneState drops old terminal tasks and delivered batches, keeps the active and the owed", () => {
  const hour = 3_600_000;
  const now = 10 * hour;
  const state = createEmptyState(now);
  state.tasks[taskKey("p", "old")] = finishedTask("old", "p", "completed", { completedAt: now - 2 * hour });
  state.tasks[taskKey("p", "new")] = finishedTask("new", "p", "error", { completedAt: now - 1000 });
  state.tasks[taskKey("p", "run")] = {
    ...finishedTask("run", "p"),
    status: "running",
    startedAt: now - 3 * hour,
  };
  const item = { key: "k", recordedAt: 0, task: finishedTask("old", "p") };
  state.batches.push(
    { id: "delivered-old", parentSessionId: "p", openedAt: 0, items: [item], deliveredAt: now - 2 * hour },
    { id: "delivered-new", parentSessionId: "p", openedAt: 0, items: [item], deliveredAt: now - 1000 },
    { id: "owed-old", parentSessionId: "p", openedAt: 0, items: [item] },
  );
  state.ledger["stale"] = now - 2 * hour;
  state.ledger["fresh"] = now - 1000;
  pruneState(state, now, { taskTtlMs: hour, deliveredTtlMs: hour });
  assert.deepEqual(Object.keys(state.tasks).sort(), ["p/new", "p/run"]);
  assert.deepEqual(state.batches.map((b) => b.id).sort(), ["delivered-new", "owed-old"]);
  assert.deepEqual(Object.keys(state.ledger), ["fresh"]);
  assert.ok(parseState(JSON.parse(JSON.stringify(state))).ok);
});

test("a batch owed to a session that never came back is closed after owedTtlMs (7 days by default)", () => {
  const day = 24 * 3_600_000;
  const now = 30 * day;
  const item = { key: "k", recordedAt: 0, task: finishedTask("t", "p") };
  const fresh = () => {
    const state = createEmptyState(now);
    state.batches.push(
      { id: "owed-8-days", parentSessionId: "gone", openedAt: now - 8 * day, items: [item] },
      { id: "owed-6-days", parentSessionId: "away", openedAt: now - 6 * day, items: [item] },
    );
    return state;
  };
  const byDefault = fresh();
  pruneState(byDefault, now, { taskTtlMs: day, deliveredTtlMs: day });
  assert.deepEqual(
    byDefault.batches.map((b) => b.id),
    ["owed-6-days"],
  );
  const configured = fresh();
  pruneState(configured, now, { taskTtlMs: day, deliveredTtlMs: day, owedTtlMs: 30 * day });
  assert.equal(configured.batches.length, 2);
});

test("a batch's phase: owed, told natively, sent then received, or delivered", () => {
  const batch = (fields: Partial<Batch>): Batch => ({
    id: "b",
    parentSessionId: "p",
    openedAt: 1,
    items: [],
    ...fields,
  });
  assert.equal(phaseOf(batch({})), "owed");
  assert.equal(
    phaseOf(batch({ deliveredAt: 2, deliveredVia: "native-in-turn", toldBy: "claude-code" })),
    "told-natively",
  );
  assert.equal(phaseOf(batch({ deliveredAt: 2, deliveredVia: "rewake", claimedBy: "rewake:42" })), "sent");
  assert.equal(phaseOf(batch({ deliveredAt: 2, deliveredVia: "session-resume", ackedAt: 3 })), "received");
  assert.equal(phaseOf(batch({ deliveredAt: 2, deliveredVia: "stop" })), "sent");
  assert.equal(phaseOf(batch({ deliveredAt: 2, deliveredVia: "cli-flush" })), "delivered");
  assert.equal(
    phaseOf(batch({ deliveredAt: 2, deliveredVia: "read-by-parent", toldBy: "parent-read" })),
    "delivered",
  );
});

test("a state written with the old `deliveredBy` sentinel reads as `toldBy` and `claimedBy`", () => {
  const old = {
    ...createEmptyState(1),
    batches: [
      {
        id: "a",
        parentSessionId: "p",
        openedAt: 1,
        items: [],
        deliveredAt: 2,
        deliveredVia: "native-in-turn",
        deliveredBy: "claude-code",
      },
      {
        id: "b",
        parentSessionId: "p",
        openedAt: 1,
        items: [],
        deliveredAt: 2,
        deliveredVia: "read-by-parent",
        deliveredBy: "parent-read",
      },
      {
        id: "c",
        parentSessionId: "p",
        openedAt: 1,
        items: [],
        deliveredAt: 2,
        deliveredVia: "rewake",
        deliveredBy: "rewake:42",
      },
    ],
  };
  const parsed = parseState(JSON.parse(JSON.stringify(old)));
  assert.ok(parsed.ok);
  const [a, b, c] = parsed.state.batches;
  assert.deepEqual(
    [a?.toldBy, a?.claimedBy, phaseOf(a as Batch)],
    ["claude-code", undefined, "told-natively"],
  );
  assert.deepEqual([b?.toldBy, b?.claimedBy, phaseOf(b as Batch)], ["parent-read", undefined, "delivered"]);
  assert.deepEqual([c?.toldBy, c?.claimedBy, phaseOf(c as Batch)], [undefined, "rewake:42", "sent"]);
  assert.ok(parsed.state.batches.every((batch) => !("deliveredBy" in batch)));
  // A teller bg-notify does not know is not a state it made.
  const bad = {
    ...createEmptyState(1),
    batches: [{ ...old.batches[0], deliveredBy: undefined, toldBy: "someone" }],
  };
  assert.equal(parseState(JSON.parse(JSON.stringify(bad))).ok, false);
});

test("a state that kept a concurrency slot as a task reads with the slot apart from the tasks", () => {
  const old = {
    ...createEmptyState(1),
    tasks: {
      "p:toolu_1": {
        id: "toolu_1",
        parentSessionId: "p",
        kind: "agent-slot",
        description: "agent 1",
        status: "running",
        queuedAt: 5,
        startedAt: 5,
        background: true,
        concurrencyKey: "opus",
      },
      "p:a1": { ...finishedTask("a1", "p"), kind: "agent" },
    },
  };
  const parsed = parseState(JSON.parse(JSON.stringify(old)));
  assert.ok(parsed.ok);
  assert.deepEqual(Object.keys(parsed.state.tasks), ["p:a1"]);
  assert.deepEqual(parsed.state.slots, {
    "p:toolu_1": { parentSessionId: "p", toolUseId: "toolu_1", tier: "opus", description: "agent 1", at: 5 },
  });
});
