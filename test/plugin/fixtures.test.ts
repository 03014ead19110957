// Golden fixtures: the recordings of Claude Code 2.1.332 replayed through the built dist/ hooks, every
// handler hooks.json names for each event fired in parallel, as Claude Code does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFERRED_REASON, HELD_REASON } from "../../src/plugin/handlers/user-prompt-submit.ts";
import { replay } from "../../src/replay/engine.ts";
import { loadFixture, REPO_ROOT, taskIdsIn, tempProject } from "./hook-harness.ts";

const SHELL_IDS = ["bk0dces6s", "b8cwfvvai", "bxykw8n2b"];
const AGENT_IDS = ["a62e85ef7893f718c", "a081773cfd6b4ab8b", "a24c95ca2d24488e0"];

async function replayFixture(
  name: string,
  options: {
    mode?: string;
    env?: Record<string, string>;
    speed?: number;
    window?: number;
    mutate?: (events: ReturnType<typeof loadFixture>) => void;
  } = {},
) {
  const project = tempProject();
  try {
    const events = loadFixture(name);
    options.mutate?.(events);
    return await replay(events, {
      pluginRoot: REPO_ROOT,
      stateDir: project.stateDir,
      projectDir: project.dir,
      speed: options.speed ?? 2,
      // A wide window keeps "one batch" true on a loaded machine, where each hook can take 10× longer.
      env: {
        BG_NOTIFY_BATCH_WINDOW_MS: String(options.window ?? 3000),
        ...(options.mode ? { BG_NOTIFY_MODE: options.mode } : {}),
        ...options.env,
      },
    });
  } finally {
    project.cleanup();
  }
}

test("three background shells: one delivery holding all three, 2 completed and 1 failed", async () => {
  const report = await replayFixture("three-background-shells.jsonl");
  assert.equal(report.notices, 3);
  assert.equal(report.blockedNotices, 3, "every notice is held back");
  assert.equal(report.nativeWakeUps, 0);
  assert.equal(report.pluginWakeUps, 1, "one wake-up for the batch");
  assert.equal(report.deliveries.length, 1);
  const [delivery] = report.deliveries;
  assert.ok(delivery);
  assert.equal(delivery.kind, "rewake");
  assert.deepEqual(
    taskIdsIn(delivery.text, SHELL_IDS),
    SHELL_IDS.filter((id) => delivery.text.includes(id)),
  );
  for (const id of SHELL_IDS) assert.ok(delivery.text.includes(`task ${id}`), `delivery names ${id}`);
  assert.match(delivery.text, /3 background tasks finished: 2 completed, 1 failed/);
  assert.match(delivery.text, /exit code 3/);
  // Each held notice stays in Claude Code's conversation (continue: false), whole: the wake-up only sums up.
  assert.match(delivery.text, /each task's own notice, above, tells it in full/);
  for (const event of report.events.filter((e) => e.summary.startsWith("notice:")))
    for (const run of event.runs.filter((r) => !r.async))
      assert.deepEqual(JSON.parse(run.stdout), { continue: false, stopReason: HELD_REASON });
  assert.ok(delivery.text.indexOf("bxykw8n2b") < delivery.text.indexOf("bk0dces6s"), "failures first");
  for (const event of report.events) {
    for (const run of event.runs) {
      assert.ok(
        run.exitCode === 0 || (run.async && run.exitCode === 2),
        `${event.summary}/${run.handler} exit ${run.exitCode}: ${run.stderr}`,
      );
    }
  }
});

test("policy defer: every notice held, no wake-up; each held notice says it waits for the next prompt", async () => {
  const report = await replayFixture("three-background-shells.jsonl", { env: { BG_NOTIFY_POLICY: "defer" } });
  assert.equal(report.notices, 3);
  assert.equal(report.blockedNotices, 3, "every notice is held back");
  assert.equal(report.nativeWakeUps, 0);
  assert.equal(report.pluginWakeUps, 0, "no wake-up: the batch waits for the next prompt");
  for (const event of report.events.filter((e) => e.summary.startsWith("notice:")))
    for (const run of event.runs.filter((r) => !r.async))
      assert.deepEqual(JSON.parse(run.stdout), { continue: false, stopReason: DEFERRED_REASON });
  for (const event of report.events)
    for (const run of event.runs)
      assert.equal(run.exitCode, 0, `${event.summary}/${run.handler}: ${run.stderr}`);
});

test("baseline with the plugin off: every notice passes and wakes the parent", async () => {
  const report = await replayFixture("three-background-shells.jsonl", { mode: "off" });
  assert.equal(report.notices, 3);
  assert.equal(report.nativeWakeUps, 3);
  assert.equal(report.pluginWakeUps, 0);
  assert.equal(report.deliveries.length, 0);
});

test("three background agents: one delivery with each agent's result", async () => {
  const report = await replayFixture("three-background-agents.jsonl");
  assert.equal(report.blockedNotices, 3);
  assert.equal(report.deliveries.length, 1);
  const text = report.deliveries[0]?.text ?? "";
  for (const id of AGENT_IDS)
    assert.equal(text.split(`task ${id}`).length - 1, 1, `delivery names ${id} once`);
  assert.match(text, /3 background tasks finished: 3 completed/);
  // The results themselves reach the parent in the agents' own notices, held in the conversation.
  assert.doesNotMatch(text, /Result one/, "the summary does not tell a report a second time");
});

test("the wake-up echo passes unblocked and never repeats what was delivered", async () => {
  const ids = ["botj5pqdu", "bwzzvnlk4", "b5u7dsovv"];
  const report = await replayFixture("rewake-echo.jsonl", { speed: 1, window: 1000 });
  const echoes = report.events.filter((e) => e.summary === "wake-up echo");
  assert.ok(echoes.length >= 1, "the recording's echo (and the simulated one) were replayed");
  for (const echo of echoes) {
    for (const run of echo.runs) {
      assert.equal(run.exitCode, 0, `${run.handler} on the echo exits 0`);
      assert.equal(run.blocked, false, "an echo is never blocked");
    }
  }
  const told = report.deliveries.flatMap((d) => ids.filter((id) => d.text.includes(`task ${id}`)));
  assert.deepEqual(told.sort(), [...ids].sort(), "each completion told exactly once, echo or not");
  assert.equal(report.blockedNotices, 3);
});

test("a repeated notice collapses into the one already recorded", async () => {
  const report = await replayFixture("three-background-shells.jsonl", {
    mutate: (events) => {
      const first = events.findIndex((e) => String(e.input["prompt"] ?? "").includes("<task-id>bk0dces6s"));
      const original = events[first];
      assert.ok(original);
      events.splice(first + 1, 0, { offsetMs: original.offsetMs + 60, input: { ...original.input } });
    },
  });
  assert.equal(report.notices, 4);
  assert.equal(report.blockedNotices, 4, "the repeat is blocked too: it was already recorded");
  assert.equal(report.deliveries.length, 1);
  const text = report.deliveries[0]?.text ?? "";
  assert.equal(text.split("task bk0dces6s").length - 1, 1, "told once");
  assert.match(text, /3 background tasks finished/);
});
