// Every kind of notice Claude Code 2.1.332 sends, from real recordings (test/fixtures, copied from
// ../shared/claude-code-2.1.332): classified, held only when it is a completion of the parent's own
// task, and every count a notice states is true. Replayed through the shipped hooks.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type NoticeKind, parseTaskNotification } from "../../src/claude/task-notification.ts";
import { activeTasksOf } from "../../src/core/running.ts";
import type { BgState } from "../../src/core/types.ts";
import { tempDir } from "../helpers.ts";
import { runNode } from "../spawn.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const fixture = (name: string) => join(ROOT, "test", "fixtures", `${name}.jsonl`);

function notices(name: string): string[] {
  return readFileSync(fixture(name), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line).input)
    .filter(
      (input) => input.hook_event_name === "UserPromptSubmit" && /^<task-notification>/.test(input.prompt),
    )
    .map((input) => input.prompt as string);
}

interface Replay {
  blockedNotices: number;
  notices: number;
  pluginWakeUps: number;
  deliveries: { kind: string; text: string }[];
}

async function replay(name: string): Promise<Replay> {
  const run = await runNode([join(ROOT, "dist", "cli.js"), "replay", fixture(name), "--instant", "--json"], {
    env: { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent" },
  });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Replay;
}

test("each recorded notice is classified as what it is", () => {
  const kinds = (name: string): NoticeKind[] =>
    notices(name).map((p) => parseTaskNotification(p)?.noticeKind ?? "unknown");
  assert.deepEqual(kinds("monitor-events"), ["monitor-event", "monitor-event", "monitor-end"]);
  assert.deepEqual(kinds("subagent-background-shell"), ["agent-waiting", "completion"]);
  assert.deepEqual(kinds("three-background-shells"), ["completion", "completion", "completion"]);
  assert.deepEqual(kinds("taskstop-kill"), ["completion"]);
  const orphan = readFileSync(join(ROOT, "test", "fixtures", "resume-orphan-report.txt"), "utf8");
  assert.equal(
    parseTaskNotification(orphan.slice(orphan.indexOf("<task-notification>")))?.noticeKind ?? "orphan-report",
    "orphan-report",
  );
  const unknown =
    "<task-notification><task-id>b123</task-id><summary>something new</summary></task-notification>";
  assert.equal(
    parseTaskNotification(unknown)?.noticeKind,
    "unknown",
    "no status: never taken for a completion",
  );
  // A task's fields without a <task-id> it can read: a form not known, never a wake-up's echo.
  const [shell] = notices("three-background-shells");
  assert.ok(shell);
  const renamed = parseTaskNotification(shell.replace(/<(\/?)task-id>/g, "<$1id>"));
  assert.deepEqual([renamed?.noticeKind, renamed?.taskId], ["unknown", ""]);
  const echo = notices("rewake-echo").at(-1) ?? "";
  assert.match(echo, /Stop hook feedback/);
  assert.equal(parseTaskNotification(echo), undefined, "a hook's wake-up echo is no notice");
});

test("Monitor events and the stream end all pass to the parent untouched, none held", async () => {
  const r = await replay("monitor-events");
  assert.equal(r.notices, 3);
  assert.equal(r.blockedNotices, 0);
  assert.equal(r.deliveries.length, 0, "nothing of the monitor is batched or told twice");
});

test("a task the model stopped with TaskStop is not counted as running in the next notice", async () => {
  const r = await replay("taskstop-kill");
  assert.equal(r.deliveries.length, 1);
  assert.match(r.deliveries[0]?.text ?? "", /1 background task finished: 1 completed · none still running/);
  assert.doesNotMatch(r.deliveries[0]?.text ?? "", /unknown/);
});

test("a subagent's own shell never appears in the parent's batches or counts; its interim report passes", async () => {
  const r = await replay("subagent-background-shell");
  assert.equal(r.blockedNotices, 1, "only the agent's final notice is held");
  assert.equal(r.deliveries.length, 1);
  const text = r.deliveries[0]?.text ?? "";
  assert.match(text, /none still running/);
  assert.doesNotMatch(text, /btk4nl289/);
  assert.match(text, /builder agent/);
});

test("an agent's 40-finding report reaches the parent whole: its notice is held, never erased or cut", async () => {
  const r = await replay("agent-long-result");
  // Held with continue: false, the notice stays, 40 findings and all, in Claude Code's conversation
  // (the e2e agent-report scenario reads it in the requests the model receives).
  assert.equal(r.blockedNotices, 1);
  const text = r.deliveries.map((d) => d.text).join("\n");
  assert.equal(r.deliveries.length, 1);
  assert.doesNotMatch(text, /FINDING-01|characters omitted/, "the summary neither repeats nor cuts it");
});

test("a task the user stopped (no hook fires) is not counted as running once Claude Code stops listing it", async (t) => {
  // Recorded natively, the held notice's own turn (its Stop, which no longer lists the stopped task)
  // never happens under the plugin and is not replayed; a later typed prompt's turn lists the same.
  const events = readFileSync(fixture("user-stop-task"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { offsetMs: number; input: Record<string, unknown> });
  const stop = events.filter((e) => e.input["hook_event_name"] === "Stop").at(-1);
  assert.ok(stop);
  const typed: Record<string, unknown> = {
    ...stop.input,
    hook_event_name: "UserPromptSubmit",
    prompt: "anything else?",
    prompt_id: "typed-1",
  };
  for (const key of ["background_tasks", "stop_hook_active", "last_assistant_message", "session_crons"])
    delete typed[key];
  const later = [
    { offsetMs: 9_000, input: typed },
    { offsetMs: 9_100, input: { ...stop.input, prompt_id: "typed-1" } },
  ];
  const dir = tempDir(t, "user-stop");
  const file = join(dir, "recording.jsonl");
  // No SessionEnd: it ends whatever still runs, and would hide what the listing did.
  const recording = [...events.filter((e) => e.input["hook_event_name"] !== "SessionEnd"), ...later];
  writeFileSync(file, recording.map((e) => JSON.stringify(e)).join("\n"));
  const stateDir = join(dir, "state");
  const run = await runNode(
    [join(ROOT, "dist", "cli.js"), "replay", file, "--instant", "--state-dir", stateDir, "--json"],
    { env: { PATH: process.env["PATH"] ?? "", HOME: dir } },
  );
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout) as Replay;
  assert.equal(r.blockedNotices, 1);
  const state = JSON.parse(readFileSync(join(stateDir, "state.json"), "utf8")) as BgState;
  const session = String(stop.input["session_id"]);
  assert.ok(Object.values(state.tasks).some((task) => task.id === "bb4bzp5x4"));
  assert.deepEqual(
    activeTasksOf(state, session).map((task) => task.id),
    [],
    "the typed prompt's listing left it out",
  );
});

test("off is off: a whole recorded session through the shipped hooks writes nothing and changes nothing", async (t) => {
  const dir = tempDir(t, "off");
  const stateDir = join(dir, "state");
  const run = await runNode(
    [
      join(ROOT, "dist", "cli.js"),
      "replay",
      fixture("three-background-agents"),
      "--instant",
      "--mode",
      "off",
      "--state-dir",
      stateDir,
      "--json",
    ],
    { env: { PATH: process.env["PATH"] ?? "", HOME: dir } },
  );
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout) as Replay;
  assert.equal(r.blockedNotices, 0);
  assert.equal(r.deliveries.length, 0);
  assert.deepEqual(
    existsSync(stateDir) ? readdirSync(stateDir) : [],
    [],
    "no file under the state directory",
  );
});

test("only the envelope's own fields count: an <event> or <status> quoted in an agent's result is its result", () => {
  const [agent] = notices("three-background-agents");
  assert.ok(agent);
  const quoting = agent.replace(
    /<result>[\s\S]*<\/result>/,
    "<result>I watched the monitor:\n<event>EVENT-9</event>\n<status>failed</status>\n</result>",
  );
  const parsed = parseTaskNotification(quoting);
  assert.equal(parsed?.noticeKind, "completion");
  assert.equal(parsed?.status, "completed");
  assert.match(parsed?.result ?? "", /<event>EVENT-9<\/event>/);
  // A result that quotes the envelope's own ending cannot end it early and be read as one notice.
  const closing = agent.replace(
    /<result>[\s\S]*<\/result>/,
    "<result>a</result>\n</task-notification>\nb</result>",
  );
  assert.equal(parseTaskNotification(closing)?.noticeKind, "unknown");
});

test("two envelopes in one prompt are not read as one notice: the prompt passes whole", () => {
  const [one, two] = notices("three-background-shells");
  assert.ok(one && two);
  for (const prompt of [`${one}\n${two}`, `${one}${two}`]) {
    const parsed = parseTaskNotification(prompt);
    assert.equal(parsed?.noticeKind, "unknown", "not held: it passes as Claude Code sent it");
  }
  assert.equal(parseTaskNotification(one)?.noticeKind, "completion");
});
