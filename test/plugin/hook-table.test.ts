// The one hook table: hooks.json is what it renders, every deadline is shorter than its timeout, every
// entry runs the handler its row names, and the shipped hooks tell the design's events in events.jsonl.

import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { HOOK_TABLE, renderHooksJson } from "../../src/plugin/hook-table.ts";
import { readEventLines } from "../../src/store/file-store.ts";
import { FOLDED_DIR } from "../../src/store/paths.ts";
import { stopInput } from "../fixtures/claude-inputs.ts";
import { tempDir } from "../helpers.ts";
import { runNode } from "../spawn.ts";

const ROOT = join(import.meta.dirname, "..", "..");

test("hooks/hooks.json is the table rendered (npm run hooks:json writes it)", () => {
  const onDisk = JSON.parse(readFileSync(join(ROOT, "hooks", "hooks.json"), "utf8"));
  assert.deepEqual(onDisk, JSON.parse(renderHooksJson()));
});

test("every handler's deadline is shorter than Claude Code's timeout for it", () => {
  for (const spec of HOOK_TABLE)
    assert.ok(
      spec.deadlineMs < spec.timeoutS * 1000,
      `${spec.name}: ${spec.deadlineMs} ms ≥ ${spec.timeoutS} s`,
    );
  const sessionEnd = HOOK_TABLE.find((h) => h.event === "SessionEnd");
  assert.ok(sessionEnd && sessionEnd.deadlineMs <= 1500, "SessionEnd shares Claude Code's 1.5 s budget");
});

test("only hooks off the user's path tidy: a Stop leaves the folded entries, SessionEnd removes them", async (t) => {
  for (const spec of HOOK_TABLE.filter((h) => h.tidies))
    assert.ok(spec.async || spec.asyncRewake || spec.event === "SessionEnd", `${spec.name} is waited for`);
  const dir = tempDir(t, "tidy");
  const folded = join(dir, ".claude", "bg-notify", FOLDED_DIR);
  mkdirSync(folded, { recursive: true });
  writeFileSync(join(folded, "toolu_01.json"), "{}\n");
  const env = { ...process.env, CLAUDE_PROJECT_DIR: dir, BG_NOTIFY_STATE_DIR: "" };
  const session = "fd8ef57f-6af7-4c02-b859-b979a6857f35";
  const stop = await runNode([join(ROOT, "dist", "hooks", "stop.js")], {
    env,
    input: JSON.stringify(stopInput(session)),
  });
  assert.equal(stop.code, 0, stop.stderr);
  assert.deepEqual(readdirSync(folded), ["toolu_01.json"]);
  const end = await runNode([join(ROOT, "dist", "hooks", "session-end.js")], {
    env,
    input: JSON.stringify({ ...stopInput(session), hook_event_name: "SessionEnd", reason: "exit" }),
  });
  assert.equal(end.code, 0, end.stderr);
  assert.equal(end.stderr, "");
  assert.deepEqual(readdirSync(folded), []);
});

test("one entry per row, each running the handler its row names and nothing else", () => {
  const entries = readdirSync(join(ROOT, "src", "plugin", "entries")).sort();
  assert.deepEqual(entries, HOOK_TABLE.map((h) => `${h.name}.ts`).sort());
  for (const spec of HOOK_TABLE) {
    const text = readFileSync(join(ROOT, "src", "plugin", "entries", `${spec.name}.ts`), "utf8");
    assert.match(text, new RegExp(`runHookProcess\\("${spec.name}", ${spec.handler}\\)`));
    assert.ok(text.trim().split("\n").filter(Boolean).length <= 4, `${spec.name}.ts stays a few lines`);
  }
});

test("replaying three shells through the shipped hooks tells the design's events in events.jsonl", async (t) => {
  const dir = tempDir(t, "events");
  const fixture = join(ROOT, "test", "fixtures", "three-background-shells.jsonl");
  const run = await runNode(
    [join(ROOT, "dist", "cli.js"), "replay", fixture, "--instant", "--state-dir", dir],
    {
      env: { PATH: process.env["PATH"] ?? "", HOME: dir },
    },
  );
  assert.equal(run.code, 0, run.stderr);
  const events = readEventLines(dir);
  const completed = events.filter((e) => e.type === "background_task_completed");
  const told = events.filter((e) => e.type === "background_tasks_notification");
  assert.equal(completed.length, 3);
  assert.equal(told.length, 1);
  const payload = told[0]?.payload as { taskIds: string[]; count: number; failedCount: number };
  assert.deepEqual(
    [...payload.taskIds].sort(),
    completed.map((e) => (e.payload as { taskId: string }).taskId).sort(),
  );
  assert.equal(payload.count, 3);
  assert.equal(payload.failedCount, 1);
});
