// Agent reports are told whole: a batch closes once its reports, told whole, would outgrow one notice,
// and a hook's context takes only batches that fit uncut (after the first), leaving the rest owed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { recorderFor } from "../../src/core/batching.ts";
import { claimDeliveries } from "../../src/core/delivery.ts";
import { createEmptyState } from "../../src/core/state.ts";
import { CONTEXT_CHAR_BUDGET } from "../../src/core/summary.ts";
import type { BackgroundTask } from "../../src/core/types.ts";

const LIMITS = { batchWindowMs: 1000, maxBatchSize: 5 };

function report(agent: number): string {
  return Array.from(
    { length: 40 },
    (_, i) =>
      `FINDING-${agent}-${String(i + 1).padStart(2, "0")}: src/mod${i}.ts:${10 + i} calls parseConfig() without a fallback.`,
  ).join("\n");
}

function agent(n: number): BackgroundTask {
  return {
    id: `agent${n}`,
    parentSessionId: "p",
    kind: "agent",
    description: `survey ${n}`,
    status: "completed",
    result: report(n),
    outputFile: `/tmp/tasks/agent${n}.output`,
    completedAt: 1000 + n,
  };
}

test("five ~4 KB agent reports: every finding of every report is told whole, none cut", () => {
  const state = createEmptyState();
  const record = recorderFor(state, 1000, LIMITS);
  for (let n = 1; n <= 5; n++) assert.equal(record(agent(n)).kind, "queued");
  assert.ok(state.batches.length >= 2, "more than one notice's worth: the batch closed early");
  const told: string[] = [];
  for (let round = 0; round < 10 && state.batches.some((b) => b.deliveredAt === undefined); round++) {
    const out = claimDeliveries(state, 5000 + round, LIMITS, "test", {
      force: true,
      via: "prompt-context",
      parentSessionId: "p",
      charBudget: CONTEXT_CHAR_BUDGET,
    });
    assert.ok(out.length > 0);
    const joined = out.map((d) => d.text).join("\n\n");
    assert.ok(joined.length <= CONTEXT_CHAR_BUDGET, `${joined.length} characters in one hook output`);
    told.push(joined);
  }
  const all = told.join("\n");
  assert.doesNotMatch(all, /characters omitted/);
  for (let n = 1; n <= 5; n++)
    for (let i = 1; i <= 40; i++) assert.ok(all.includes(`FINDING-${n}-${String(i).padStart(2, "0")}:`));
});

test("shells beside one long report share its notice; a report too long for any notice names its file", () => {
  const state = createEmptyState();
  const record = recorderFor(state, 1000, LIMITS);
  record(agent(1));
  for (const id of ["s1", "s2"])
    record({
      id,
      parentSessionId: "p",
      kind: "shell",
      description: id,
      status: "completed",
      completedAt: 1001,
    });
  assert.equal(state.batches.length, 1);
  const huge = { ...agent(9), id: "huge", result: "x".repeat(30_000) };
  record(huge);
  const [delivery] = claimDeliveries(state, 5000, LIMITS, "test", {
    force: true,
    via: "rewake",
    parentSessionId: "p",
  });
  assert.ok(delivery);
  assert.match(delivery.text, /full report: cut here to fit; the output file above holds it whole/);
});
