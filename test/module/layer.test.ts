// The module layer over a stand-in engine: what it holds, passes, wakes and rewrites, with the notices
// Claude Code 2.1.332 really sent (test/fixtures).
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTaskNotification } from "../../src/claude/task-notification.ts";
import { DEFAULT_CONFIG } from "../../src/core/config.ts";
import { MODULE_RESUME_WAKE_MS } from "../../src/core/protocol.ts";
import { isRecordShape, SESSION_KEY_PREFIX, type SessionRecord } from "../../src/core/session-record.ts";
import { AUTOMATED_REPORT } from "../../src/core/summary.ts";
import type {
  AgentReportAnswer,
  AgentReportEvent,
  AppendEvent,
  PromptSubmitEvent,
} from "../../src/module/engine.ts";
import { chooseLayer, DEFERRED_ROW_SUFFIX, HELD_ROW_SUFFIX } from "../../src/module/layer.ts";
import { noticePrompt } from "../fixtures/claude-inputs.ts";
import { loadFixture } from "../plugin/hook-harness.ts";
import { FakeHost, idleNotice, passThrough, SESSION, startLayer } from "./fake-host.ts";

/** The three completion notices of the recorded three-shell session, in the order they came. */
function recordedNotices(): string[] {
  return loadFixture("three-background-shells.jsonl")
    .map((e) => (e.input as { prompt?: unknown }).prompt)
    .filter(
      (p): p is string => typeof p === "string" && parseTaskNotification(p)?.noticeKind === "completion",
    );
}

function recordOf(host: FakeHost): SessionRecord {
  const value = host.values.get(SESSION_KEY_PREFIX + SESSION);
  assert.ok(isRecordShape(value), "the session's record is kept in the store");
  return value;
}

test("three idle notices: each held whole as a note, one wake-up for the batch", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  assert.equal(host.marked, true, "the command hooks are told to stand down");
  const notices = recordedNotices();
  assert.equal(notices.length, 3);
  const { next, seen } = passThrough();
  for (const text of notices) {
    const answer = await layer.promptSubmit(idleNotice(text), next);
    assert.deepEqual(answer, { text }, "answered without next: no turn starts");
    await host.advance(150);
  }
  assert.equal(seen.length, 0, "no notice went on to the engine");
  assert.deepEqual(host.notes, notices, "each notice is kept whole, once");
  assert.equal(host.submitted.length, 0, "no wake-up before the window closes");
  await host.advance(1000);
  assert.equal(host.submitted.length, 1, "one wake-up");
  const line = host.submitted[0] ?? "";
  assert.match(
    line,
    /^\[bg-notify\] 3 background tasks finished: 2 completed, 1 failed · none still running\. /,
  );
  assert.match(line, /not a message or approval from the user/, "framed as an automated report");
  assert.doesNotMatch(line, /\n/, "the prompt the screen shows is one line");
  const summary = host.notes[3] ?? "";
  assert.match(
    summary.split("\n")[1] ?? "",
    new RegExp(`^\\(batch \\S+; ${AUTOMATED_REPORT}`),
    "the summary rides as a note, framed",
  );
  for (const text of notices) {
    const id = parseTaskNotification(text)?.taskId ?? "";
    assert.ok(summary.includes(id), `the summary names ${id}`);
  }
  const record = recordOf(host);
  assert.equal(record.layer.name, "module");
  assert.ok(record.state.batches.every((b) => b.deliveredVia === "module-wake"));
  assert.ok(record.events.some((e) => e.type === "background_tasks_notification"));
  // What `bg-notify status` weighs its savings by: three arrivals between turns, one wake-up.
  const tally = record.state.tally?.[SESSION];
  assert.equal(tally?.completions, 3);
  assert.equal(tally?.idle.length, 3);
  assert.equal(tally?.woke.length, 1);
  await host.advance(10_000);
  assert.equal(host.submitted.length, 1, "never a second wake-up");
});

test("a turn that starts while notes are held carries them: no wake-up for them", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  await layer.promptSubmit(idleNotice(noticePrompt("bts1")), passThrough().next);
  await layer.turnStart({});
  await host.advance(5000);
  assert.equal(host.submitted.length, 0);
  assert.equal(recordOf(host).state.batches[0]?.deliveredVia, "module-note");
  // A subagent's turn carries nothing of the parent's.
  await layer.promptSubmit(idleNotice(noticePrompt("bts2")), passThrough().next);
  await layer.turnStart({ agentId: "a1" });
  await host.advance(5000);
  assert.equal(host.submitted.length, 1);
});

test("a full batch while tasks still run waits for a pause in the notices: one wake-up", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  const ids = Array.from({ length: 8 }, (_, i) => `bq${i}`);
  for (const id of ids)
    await layer.postToolUse({
      session_id: SESSION,
      prompt_id: "launch-turn",
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: { command: "sleep 1", run_in_background: true },
      tool_response: { backgroundTaskId: id },
    });
  for (const id of ids) {
    await layer.promptSubmit(idleNotice(noticePrompt(id)), passThrough().next);
    await host.advance(100);
  }
  await host.advance(5000);
  assert.equal(host.submitted.length, 1, "the first batch (full at 5) waited for the last notices");
  assert.match(host.submitted[0] ?? "", /8 background tasks finished/);
});

test("after /clear (a session end with no start) the next notice is the new session's", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  layer.sessionEnded();
  host.session = "1c2d3e4f-0000-4000-8000-000000000002";
  await layer.promptSubmit(idleNotice(noticePrompt("bcl1")), passThrough().next);
  assert.ok(host.values.has(`${SESSION_KEY_PREFIX}${host.session}`), "recorded under the new session");
  await host.advance(2000);
  assert.equal(host.submitted.length, 1);
});

test("a notice inside a running turn passes and is recorded as told natively", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  const { next, seen } = passThrough();
  const text = noticePrompt("bmid1");
  await layer.promptSubmit({ ...idleNotice(text), turnId: "turn-1" }, next);
  assert.equal(seen.length, 1);
  assert.equal(host.notes.length, 0);
  await host.advance(5000);
  assert.equal(host.submitted.length, 0);
  const batch = recordOf(host).state.batches[0];
  assert.equal(batch?.deliveredVia, "native-in-turn");
  assert.equal(batch?.toldBy, "claude-code");
  // Natively it would have woken no one either.
  assert.deepEqual(recordOf(host).state.tally?.[SESSION]?.idle, []);
  assert.equal(recordOf(host).state.tally?.[SESSION]?.completions, 1);
});

test("what is not a completion passes untouched: Monitor events, unknown kinds, the user", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  const { next, seen } = passThrough();
  const monitor = loadFixture("monitor-events.jsonl")
    .map((e) => (e.input as { prompt?: unknown }).prompt)
    .find((p): p is string => typeof p === "string" && p.includes("<task-notification>"));
  assert.ok(monitor, "the fixture has a Monitor event");
  await layer.promptSubmit(idleNotice(monitor), next);
  await layer.promptSubmit(idleNotice("<task-notification>\n<mystery/>\n</task-notification>"), next);
  await layer.promptSubmit({ text: "hello", origin: { kind: "composer" }, wait: false }, next);
  assert.equal(seen.length, 3);
  assert.deepEqual(seen[2], { text: "hello", origin: { kind: "composer" }, wait: false }, "nothing attached");
  assert.equal(host.notes.length, 0);
});

test("a prompt typed while a batch is held takes the batch: its summary as context, no wake-up", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  const { next, seen } = passThrough();
  await layer.promptSubmit(idleNotice(noticePrompt("bty1")), next);
  await host.advance(300);
  await layer.promptSubmit({ text: "what now?", origin: { kind: "composer" }, wait: false }, next);
  assert.equal(seen.length, 1);
  const context = seen[0]?.context ?? [];
  assert.equal(context.length, 1);
  assert.ok(context[0]?.includes(AUTOMATED_REPORT) && context[0].includes("bty1"));
  await host.advance(5000);
  assert.equal(host.submitted.length, 0, "the wake-up was cancelled");
  assert.equal(recordOf(host).state.batches[0]?.deliveredVia, "module-prompt");
});

test("a typed prompt a hook beneath drops leaves the batch owed: the timer wakes for it", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  await layer.promptSubmit(idleNotice(noticePrompt("bdr1")), passThrough().next);
  const answer = await layer.promptSubmit(
    { text: "blocked word", origin: { kind: "composer" }, wait: false },
    async () => ({ drop: "a guard said no" }),
  );
  assert.deepEqual(answer, { drop: "a guard said no" });
  await host.advance(10_000);
  assert.equal(host.submitted.length, 1);
  assert.ok(host.notes.at(-1)?.includes("bdr1"));
});

test("a note the engine refuses: the notice passes natively and is recorded so", async () => {
  const host = new FakeHost();
  host.refuseNotes = true;
  const layer = await startLayer(host);
  const { next, seen } = passThrough();
  await layer.promptSubmit(idleNotice(noticePrompt("bref1")), next);
  assert.equal(seen.length, 1, "the notice went on to the engine");
  await host.advance(5000);
  assert.equal(host.submitted.length, 0, "nothing owed, no wake-up");
  assert.equal(recordOf(host).state.batches[0]?.deliveredVia, "native-out-of-band");
});

test("a wake-up the engine does not take is tried again, then left to the next turn", async () => {
  const host = new FakeHost();
  host.refuseSubmits = 1;
  const layer = await startLayer(host);
  await layer.promptSubmit(idleNotice(noticePrompt("bwk1")), passThrough().next);
  await host.advance(1100);
  assert.equal(host.submitted.length, 0);
  await host.advance(6000);
  assert.equal(host.submitted.length, 1, "the second try entered");
  host.refuseSubmits = 10;
  await layer.promptSubmit(idleNotice(noticePrompt("bwk2")), passThrough().next);
  await host.advance(60_000);
  assert.equal(host.submitted.length, 1);
  assert.equal(host.pendingTimers(), 0, "it gives up after its tries");
  assert.ok(host.logs.some((l) => l.includes("ride the next turn")));
  const owed = recordOf(host).state.batches.filter((b) => b.deliveredAt === undefined);
  assert.equal(owed.length, 1, "still owed: the next turn or session start tells it");
});

test("a main-loop agent's report is held with no row; a subagent's agent passes", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  const report = (e: AgentReportEvent): Promise<AgentReportAnswer> => Promise.resolve({ text: e.text });
  const mine: AgentReportEvent = {
    agentId: "a1b2c3",
    subagentType: "Explore",
    status: "completed",
    text: "found 3",
  };
  const answer = await layer.agentReport(mine, report);
  assert.ok(answer.consumed !== undefined, "consumed: no notice row, no turn");
  assert.ok(host.notes[0]?.includes("found 3") && host.notes[0].includes("a1b2c3"));
  const nested = await layer.agentReport({ ...mine, agentId: "d4e5", parentAgentId: "a1b2c3" }, report);
  assert.deepEqual(nested, { text: "found 3" });
  await host.advance(2000);
  assert.equal(host.submitted.length, 1);
  assert.ok(host.notes.at(-1)?.includes("a1b2c3"));
});

test("the engine's row under a held notice is ours; its resume report is corrected for held tasks", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  const passed: AppendEvent[] = [];
  const next = async (e: AppendEvent) => {
    passed.push(e);
    return e;
  };
  await layer.promptSubmit(
    idleNotice(noticePrompt("bxq2gme0n", { description: "build" })),
    passThrough().next,
  );
  const row: AppendEvent = {
    message: {
      type: "system",
      name: "informational",
      content: [
        { type: "text", text: "Prompt not submitted: a hook answered without passing the prompt on" },
      ],
    },
    origin: { kind: "engine" },
  };
  await layer.append(row, next);
  const rewritten = textOf(passed[0]);
  assert.equal(rewritten, `Background command "build" completed (exit code 0) · ${HELD_ROW_SUFFIX}`);
  await layer.append(row, next);
  assert.equal(passed[1], row, "a row with no notice held behind it is left alone");
  await host.advance(2000);
  // The session exits after its wake-up; on --continue Claude Code reports the task "stopped".
  const layer2 = await startLayer(host);
  await layer2.append(
    {
      message: { type: "user", content: [{ type: "text", text: orphanReport() }] },
      origin: { kind: "task-notification" },
    },
    next,
  );
  const corrected = textOf(passed[2]);
  assert.ok(
    corrected.startsWith("<task-notification>"),
    "the tasks bg-notify never held keep Claude Code's words",
  );
  assert.match(corrected, /\[bg-notify\] Of these, bxq2gme0n did finish: .* They were not stopped\.$/);
  // A report of held tasks alone is replaced, and names none of them again (each is told once).
  await layer2.append(
    {
      message: { type: "user", content: [{ type: "text", text: orphanReport(["bxq2gme0n"]) }] },
      origin: { kind: "task-notification" },
    },
    next,
  );
  const replaced = textOf(passed[3]);
  assert.equal(replaced.includes("bxq2gme0n"), false);
  assert.match(replaced, /^\[bg-notify\] These background tasks did finish/);
});

test("a batch owed when the process exited gets its wake-up when the session starts again", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  await layer.promptSubmit(idleNotice(noticePrompt("bexit1")), passThrough().next);
  host.timers = []; // the process exits: its timers die with it
  await host.advance(30_000);
  assert.equal(host.submitted.length, 0);
  await startLayer(host);
  await host.advance(MODULE_RESUME_WAKE_MS);
  assert.equal(host.submitted.length, 1);
  assert.ok(host.notes.at(-1)?.includes("bexit1"));
});

test("a prompt at the start of the next process takes the owed batch: no separate wake-up", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  await layer.promptSubmit(idleNotice(noticePrompt("bexit2")), passThrough().next);
  host.timers = [];
  const again = await startLayer(host);
  const { next, seen } = passThrough();
  await again.promptSubmit({ text: "continue", origin: { kind: "sdk" }, wait: false }, next);
  assert.ok(seen[0]?.context?.[0]?.includes("bexit2"), "the summary rides the prompt with the held notes");
  await host.advance(MODULE_RESUME_WAKE_MS + 10_000);
  assert.equal(host.submitted.length, 0);
});

test("where the engine refuses the stand-down marker the layer holds nothing", async () => {
  const host = new FakeHost();
  host.refuseMarker = true;
  const layer = await startLayer(host);
  assert.equal(layer.holding, false);
  assert.deepEqual(recordOf(host).layer, { name: "hooks", why: "Claude Code refused the stand-down marker" });
  const { next, seen } = passThrough();
  await layer.promptSubmit(idleNotice(noticePrompt("bnm1")), next);
  assert.equal(seen.length, 1);
  assert.equal(host.notes.length, 0);
});

test("the command hooks keep the session for what the module does not serve", () => {
  const base = { ...DEFAULT_CONFIG, modelConcurrency: {} };
  assert.equal(chooseLayer(base, []).name, "module");
  assert.equal(chooseLayer({ ...base, layer: "hooks" }, []).name, "hooks");
  assert.equal(chooseLayer({ ...base, mode: "summarize" }, []).name, "hooks");
  assert.equal(chooseLayer({ ...base, mode: "off" }, []).name, "hooks");
  assert.equal(chooseLayer({ ...base, concurrency: "enforce" }, []).name, "hooks");
  assert.equal(chooseLayer(base, ["bg-notify: bad key"]).name, "hooks");
});

function textOf(e: AppendEvent | undefined): string {
  const block = e?.message.content?.[0] as { text?: string } | undefined;
  return block?.text ?? "";
}

/** Claude Code's resume report for the held task and two it never saw finish. */
function orphanReport(ids = ["bxq2gme0n", "bv8mrrl3i"]): string {
  return [
    "<task-notification>",
    ...ids.map((id) => `<task-id>${id}</task-id>`),
    "<task-id>__orphan_summary__:shell</task-id>",
    "<status>stopped</status>",
    `<summary>${ids.length} background shell command tasks didn't finish before the previous session ended. Task ids: ${ids.join(", ")}.</summary>`,
    "</task-notification>",
  ].join("\n");
}

test("policy defer: idle notices held as notes with our row, no wake-up ever; a typed prompt takes them", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host, { policy: "defer" });
  const notices = recordedNotices();
  const { next, seen } = passThrough();
  for (const text of notices) await layer.promptSubmit(idleNotice(text), next);
  assert.deepEqual(host.notes, notices, "each notice kept whole, once");
  await host.advance(30 * 60_000);
  assert.equal(host.submitted.length, 0, "no wake-up, however long it stays idle");
  const row = await layer.append(
    {
      message: {
        type: "system",
        content: [
          { type: "text", text: "Prompt not submitted: a hook answered without passing the prompt on" },
        ],
      },
      door: "notice",
      origin: { kind: "engine" },
    } as unknown as AppendEvent,
    async (e) => e,
  );
  assert.match(JSON.stringify(row), new RegExp(DEFERRED_ROW_SUFFIX.replace(/[()]/g, "\\$&")));
  await layer.promptSubmit(
    { text: "what next?", origin: { kind: "composer" }, wait: false } as unknown as PromptSubmitEvent,
    next,
  );
  assert.equal(seen.length, 1, "the typed prompt goes on");
  const context = (seen[0] as { context?: string[] }).context ?? [];
  for (const id of ["bk0dces6s", "b8cwfvvai", "bxykw8n2b"])
    assert.ok(
      context.some((c) => c.includes(id)),
      `the prompt carries ${id}'s summary`,
    );
  assert.equal(host.submitted.length, 0);
});

test("a wake budget of 1 per 2 minutes: a second batch waits for the next allowed wake-up", async () => {
  const host = new FakeHost();
  // The recording's third job fails: with wakeOnFailure (the default) it would wake at once.
  const layer = await startLayer(host, { wakeBudget: { wakes: 1, perMinutes: 2 }, wakeOnFailure: false });
  const [a, b, c] = recordedNotices();
  const { next } = passThrough();
  await layer.promptSubmit(idleNotice(a as string), next);
  await host.advance(1100);
  assert.equal(host.submitted.length, 1, "the first wake-up is within the budget");
  await host.advance(20_000);
  await layer.promptSubmit(idleNotice(b as string), next);
  await host.advance(20_000);
  await layer.promptSubmit(idleNotice(c as string), next);
  await host.advance(60_000);
  assert.equal(host.submitted.length, 1, "no second wake-up inside two minutes of the first");
  await host.advance(25_000);
  assert.equal(host.submitted.length, 2, "the next allowed wake-up tells both");
  assert.match(host.submitted[1] ?? "", /2 background tasks finished: 1 completed, 1 failed/);
});

test("notifyAllDone: one notification when the last of three launched tasks ends, none before", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host, { notifyAllDone: true });
  const ids = ["bd0", "bd1", "bd2"];
  for (const id of ids)
    await layer.postToolUse({
      session_id: SESSION,
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: { command: "sleep 1", run_in_background: true },
      tool_response: { backgroundTaskId: id },
    });
  for (const [i, id] of ids.entries()) {
    await layer.promptSubmit(idleNotice(noticePrompt(id)), passThrough().next);
    await host.advance(1500);
    assert.equal(host.notified.length, i === 2 ? 1 : 0, `after ${i + 1} of 3`);
  }
  assert.deepEqual(host.notified, ["All background work done: 3 tasks finished."]);
  await host.advance(60_000);
  assert.equal(host.notified.length, 1, "never a second one for the same work");
});

test("without notifyAllDone nothing is notified", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  await layer.promptSubmit(idleNotice(noticePrompt("bn0")), passThrough().next);
  await host.advance(5000);
  assert.deepEqual(host.notified, []);
});

test("a notice of a form not known: the module steps aside, says so once, and holds nothing more", async () => {
  const host = new FakeHost();
  const layer = await startLayer(host);
  const { next, seen } = passThrough();
  await layer.promptSubmit(idleNotice(noticePrompt("bmod00001")), next);
  assert.equal(seen.length, 0, "held as usual");
  const renamed = noticePrompt("bmod00002").replace(/<(\/?)status>/g, "<$1state>");
  await layer.promptSubmit(idleNotice(renamed), next);
  assert.equal(seen.length, 1, "it passes and starts its turn");
  assert.match(JSON.stringify(seen[0]), /task bmod00001/, "what was held rides that turn");
  assert.equal(host.said.length, 1);
  assert.match(host.said[0] ?? "", /steps aside for this session: task bmod00002's notice/);
  await layer.promptSubmit(idleNotice(noticePrompt("bmod00003")), next);
  assert.equal(seen.length, 2, "a completion now passes too");
  assert.equal(host.said.length, 1, "said once");
  await host.advance(10_000);
  assert.equal(host.submitted.length, 0, "no wake-up: nothing is owed");
  const batches = recordOf(host).state.batches;
  assert.ok(batches.every((b) => b.deliveredAt !== undefined));
  assert.equal(batches.filter((b) => b.deliveredVia === "native-aside").length, 1);
});
