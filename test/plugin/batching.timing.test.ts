// Batch timing and isolation through the shipped hooks, as real processes: the window, the size cap,
// and two parents sharing one project. Run on its own after the heavy suites (`*.timing.test.ts`).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  batchesIn,
  blockedBy,
  fireAll,
  idleGate,
  notice,
  type ProcessRun,
  promptInput,
  rewakeDeliveries,
  tempProject,
  withPremise,
} from "./hook-harness.ts";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const WINDOW = { BG_NOTIFY_BATCH_WINDOW_MS: "300" };

test("two completions 50 ms apart: one delivery, no earlier than the window after the first", async () => {
  const session = "11111111-aaaa-4bbb-8ccc-000000000001";
  const outcome = await withPremise(
    3,
    async () => {
      const project = tempProject();
      try {
        const ready = idleGate();
        const secondGate = ready.gate.then(() => sleep(50));
        const first = fireAll(
          promptInput(session, notice("bfirst001")),
          project,
          WINDOW,
          ready.gate,
          ready.track,
        );
        const second = fireAll(
          promptInput(session, notice("bsecond02", "failed", "job two", 7)),
          project,
          WINDOW,
          secondGate,
          ready.track,
        );
        await ready.open();
        const startedAt = Date.now();
        const runs = [...(await first), ...(await second)];
        return { runs, startedAt, batches: batchesIn(project) };
      } finally {
        project.cleanup();
      }
    },
    // Premise: the machine recorded both inside one window (a loaded machine may not).
    ({ batches }) => {
      const times = batches.flatMap((b) => b.recordedAt).sort((a, b) => a - b);
      return times.length === 2 && (times[1] ?? 0) - (times[0] ?? 0) < 250;
    },
  );
  const deliveries = rewakeDeliveries(outcome.runs);
  assert.equal(deliveries.length, 1, "exactly one rewake delivered");
  const [delivery] = deliveries;
  assert.ok(delivery);
  assert.ok(
    delivery.endedAt - outcome.startedAt >= 300,
    `delivered ${delivery.endedAt - outcome.startedAt} ms after the first`,
  );
  const [batch] = outcome.batches;
  assert.ok(
    batch?.deliveredAt !== undefined && batch.deliveredAt - batch.openedAt >= 300,
    "claimed once the window closed",
  );
  assert.match(delivery.stderr, /task bfirst001/);
  assert.match(delivery.stderr, /task bsecond02/);
  assert.match(delivery.stderr, /2 background tasks finished: 1 completed, 1 failed/);
  assert.ok(outcome.runs.filter((r) => !r.async).every((r) => JSON.parse(r.stdout).continue === false));
});

test("seven completions at once with max 5: two batches, 5 then 2, told in one wake-up, nothing twice", async () => {
  const session = "11111111-aaaa-4bbb-8ccc-000000000007";
  const ids = Array.from({ length: 7 }, (_, i) => `bseven00${i}`);
  const outcome = await withPremise(
    3,
    async () => {
      const project = tempProject();
      try {
        const ready = idleGate();
        const env = { ...WINDOW, BG_NOTIFY_MAX_BATCH_SIZE: "5" };
        const running = Promise.all(
          ids.map((id) => fireAll(promptInput(session, notice(id)), project, env, ready.gate, ready.track)),
        );
        await ready.open();
        const byId = await running;
        // Let through (a wake-up already on its way): Claude Code tells it, in no batch.
        const passed = ids.filter((_id, i) =>
          (byId[i] ?? []).some((r) => !r.async && JSON.parse(r.stdout || "{}").continue !== false),
        );
        return { runs: byId.flat(), batches: batchesIn(project), passed };
      } finally {
        project.cleanup();
      }
    },
    // Premise: all seven were recorded within one window of the first.
    ({ batches }) => {
      const times = batches.flatMap((b) => b.recordedAt);
      return times.length === 7 && Math.max(...times) - Math.min(...times) < 250;
    },
  );
  const deliveries = rewakeDeliveries(outcome.runs);
  // The full batch is due at once; its wake-up carries every notice held so far (they all stand in the
  // conversation), so it tells the second batch too: one wake-up, two batches.
  assert.ok(deliveries.length >= 1 && deliveries.length <= 2, `${deliveries.length} wake-ups`);
  // In creation order (state.json keeps it): a batch's window runs from its first notice's arrival,
  // so a later batch may carry an earlier openedAt.
  const sizes = outcome.batches.map((b) => b.recordedAt.length);
  assert.equal(sizes[0], 5, "the first batch closed at maxBatchSize");
  // The rest: one batch, or two when the wake-up claimed the second before the 7th was recorded, or
  // none, each let through once the first wake-up was on its way.
  assert.equal(
    sizes.reduce((a, b) => a + b, 0),
    7,
  );
  const all = [
    ...deliveries.flatMap((d) => ids.filter((id) => d.stderr.includes(`task ${id}`))),
    ...outcome.passed,
  ];
  assert.deepEqual([...all].sort(), [...ids].sort(), "every completion told exactly once");
  assert.ok(outcome.runs.every((r) => r.exitCode === 0 || (r.async && r.exitCode === 2)));
});

test("two parent sessions interleaved in one project: no task leaks across", async () => {
  const project = tempProject();
  try {
    const a = "aaaaaaaa-0000-4000-8000-00000000000a";
    const b = "bbbbbbbb-0000-4000-8000-00000000000b";
    const plan: [string, string][] = [
      [a, "ba0000001"],
      [b, "bb0000001"],
      [a, "ba0000002"],
      [b, "bb0000002"],
      [b, "bb0000003"],
    ];
    const pending: Promise<ProcessRun[]>[] = [];
    const bySession = new Map<Promise<ProcessRun[]>, string>();
    const ready = idleGate();
    plan.forEach(([session, id], i) => {
      const gate = ready.gate.then(() => sleep(30 * i));
      const run = fireAll(promptInput(session, notice(id)), project, WINDOW, gate, ready.track);
      bySession.set(run, session);
      pending.push(run);
    });
    await ready.open();
    const delivered = new Map<string, string[]>([
      [a, []],
      [b, []],
    ]);
    for (const run of pending) {
      const session = bySession.get(run) ?? "";
      const runs = await run;
      assert.ok(blockedBy(runs));
      for (const d of rewakeDeliveries(runs)) {
        delivered
          .get(session)
          ?.push(...plan.map(([, id]) => id).filter((id) => d.stderr.includes(`task ${id}`)));
      }
    }
    assert.deepEqual(delivered.get(a)?.sort(), ["ba0000001", "ba0000002"]);
    assert.deepEqual(delivered.get(b)?.sort(), ["bb0000001", "bb0000002", "bb0000003"]);
  } finally {
    project.cleanup();
  }
});

test("a person's prompt carries what is owed as context and is never blocked", async () => {
  const project = tempProject();
  try {
    const session = "11111111-aaaa-4bbb-8ccc-0000000000cc";
    const env = { BG_NOTIFY_BATCH_WINDOW_MS: "5000" };
    const recording = fireAll(promptInput(session, notice("bowed0001")), project, env);
    while (!batchesIn(project).some((b) => b.recordedAt.length > 0)) await sleep(25);
    const typed = await fireAll(promptInput(session, "what's the status?"), project, env);
    const sync = typed.find((r) => !r.async);
    assert.ok(sync);
    const out = JSON.parse(sync.stdout);
    assert.notEqual(out.decision, "block");
    assert.equal(out.hookSpecificOutput.hookEventName, "UserPromptSubmit");
    assert.match(out.hookSpecificOutput.additionalContext, /task bowed0001/);
    assert.equal(rewakeDeliveries(typed).length, 0, "a typed prompt never triggers a wake-up");
    const runs = await recording;
    assert.equal(
      rewakeDeliveries(runs).length,
      0,
      "the waiting rewake finds the batch delivered and stays silent",
    );
  } finally {
    project.cleanup();
  }
});
