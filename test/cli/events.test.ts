// `bg-notify events`: both log files in order, filtered by type, as text or JSON lines, and followed.

import assert from "node:assert/strict";
import { renameSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { appendEventLine } from "../../src/store/file-store.ts";
import type { EventRecord } from "../../src/store/types.ts";
import { assertNoColour, cleanEnv, runCli, streamingCli, tempDir } from "./helpers.ts";

function record(n: number, type: string): EventRecord {
  return {
    id: `id-${n}`,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    type,
    payload: { parentSessionId: "s1", taskIds: [`t${n}`], count: 1 },
    source: "test",
  };
}

/** Two records in the rotated log, two in the current one. */
function seedLog(dir: string): void {
  appendEventLine(dir, record(1, "background_task_completed"));
  appendEventLine(dir, record(2, "background_tasks_notification"));
  renameSync(join(dir, "events.jsonl"), join(dir, "events.1.jsonl"));
  appendEventLine(dir, record(3, "background_task_completed"));
  appendEventLine(dir, record(4, "session_end"));
}

test("prints the rotated log then the current one, one line per event", async (t) => {
  const dir = tempDir(t);
  seedLog(dir);
  const result = await runCli(["events", "--state-dir", dir]);
  assert.equal(result.code, 0, result.stderr);
  assertNoColour(result.stdout);
  const lines = result.stdout.trim().split("\n");
  assert.equal(lines.length, 4);
  assert.deepEqual(
    lines.map((l) => l.split(/\s+/)[1]),
    [
      "background_task_completed",
      "background_tasks_notification",
      "background_task_completed",
      "session_end",
    ],
  );
  assert.match(
    lines[0]!,
    /^2026-01-01T00:00:01\.000Z {2}background_task_completed .*parentSessionId=s1 taskIds=t1 count=1/,
  );
});

test("--type filters (repeatable, comma-separated) and --json prints the stored records", async (t) => {
  const dir = tempDir(t);
  seedLog(dir);
  const one = await runCli(["events", "--state-dir", dir, "--type", "background_task_completed", "--json"]);
  assert.equal(one.code, 0, one.stderr);
  const records = one.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as EventRecord);
  assert.deepEqual(records, [record(1, "background_task_completed"), record(3, "background_task_completed")]);

  const two = await runCli([
    "events",
    "--state-dir",
    dir,
    "--type",
    "session_end,background_tasks_notification",
  ]);
  assert.equal(two.stdout.trim().split("\n").length, 2);
  const repeated = await runCli(["events", "--state-dir", dir, "--type", "session_end", "--type", "nothing"]);
  assert.equal(repeated.stdout.trim().split("\n").length, 1);
});

test("no log yet prints nothing and succeeds; a missing --state-dir fails", async (t) => {
  const project = tempDir(t, "project");
  const none = await runCli(["events"], { env: cleanEnv({ CLAUDE_PROJECT_DIR: project }) });
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, "");
  const missing = await runCli(["events", "--state-dir", join(project, "nope")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /does not exist/);
});

test("--follow prints new events as they are appended, across a rotation, until SIGINT (exit 0)", async (t) => {
  const dir = tempDir(t);
  appendEventLine(dir, record(1, "background_task_completed"));
  const run = streamingCli(t, ["events", "--follow", "--json", "--state-dir", dir], cleanEnv());
  const seen = (id: string) => run.printed(`"${id}"`);
  await seen("id-1");
  appendEventLine(dir, record(2, "session_end"));
  await seen("id-2");
  renameSync(join(dir, "events.jsonl"), join(dir, "events.1.jsonl"));
  appendEventLine(dir, record(3, "session_end"));
  await seen("id-3");
  run.child.kill("SIGINT");
  assert.equal(await run.exit, 0);
  const ids = run.out.stdout
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as EventRecord).id);
  assert.deepEqual(ids, ["id-1", "id-2", "id-3"], "each event exactly once");
});
