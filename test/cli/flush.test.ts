// `bg-notify flush`: claims what is owed (window closed or not) under the lock, prints it; --dry-run claims
// nothing; a held lock is a failure, not a hang.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readState } from "../../src/store/transaction.ts";
import { complete, runCli, SESSION_A, SESSION_B, seedState, task, tempDir } from "./helpers.ts";

interface FlushJson {
  dryRun: boolean;
  deliveries: { batchId: string; parentSessionId: string; taskIds: string[]; text: string; via: string }[];
}

async function seed(dir: string): Promise<void> {
  await seedState(dir, (state) => {
    complete(state, task("a1", SESSION_A, "completed"));
    complete(state, task("a2", SESSION_A, "error"));
    complete(state, task("b1", SESSION_B, "completed"));
  });
}

const owedIds = (dir: string) =>
  readState(dir)
    .batches.filter((b) => b.deliveredAt === undefined)
    .flatMap((b) => b.items.map((i) => i.task.id))
    .sort();

test("--dry-run prints what is owed and changes nothing", async (t) => {
  const dir = tempDir(t);
  await seed(dir);
  const before = readFileSync(join(dir, "state.json"), "utf8");
  const result = await runCli(["flush", "--state-dir", dir, "--dry-run"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /would deliver batch b-\S+ to session session-a \(2 task\(s\)\)/);
  assert.match(result.stdout, /would deliver batch b-\S+ to session session-b \(1 task\(s\)\)/);
  assert.match(result.stdout, /\[bg-notify\] 2 background tasks finished: 1 completed, 1 failed/);
  assert.equal(readFileSync(join(dir, "state.json"), "utf8"), before);
});

test("--session delivers only that session's batches; then the rest; then nothing is owed", async (t) => {
  const dir = tempDir(t);
  await seed(dir);
  const first = await runCli(["flush", "--state-dir", dir, "--session", SESSION_A, "--json"]);
  assert.equal(first.code, 0, first.stderr);
  const report = JSON.parse(first.stdout) as FlushJson;
  assert.equal(report.dryRun, false);
  assert.equal(report.deliveries.length, 1);
  assert.deepEqual(report.deliveries[0]?.taskIds.sort(), ["a1", "a2"]);
  assert.equal(report.deliveries[0]?.via, "cli-flush");
  assert.match(report.deliveries[0]?.text ?? "", /task a2, exit code 3/);
  assert.deepEqual(owedIds(dir), ["b1"], "B's batch is still owed");

  const rest = await runCli(["flush", "--state-dir", dir]);
  assert.equal(rest.code, 0, rest.stderr);
  assert.match(
    rest.stdout,
    /^delivered batch b-\S+ to session session-b \(1 task\(s\)\)\n\[bg-notify\] 1 background task finished/,
  );
  assert.deepEqual(owedIds(dir), []);

  const again = await runCli(["flush", "--state-dir", dir]);
  assert.equal(again.code, 0);
  assert.equal(again.stdout, "nothing owed\n");
  const events = readFileSync(join(dir, "events.jsonl"), "utf8");
  assert.equal(events.match(/"via":"cli-flush"/g)?.length, 2, "each delivery logged once");
});

test("nothing owed in a project without state: no lock, no directory created", async (t) => {
  const project = tempDir(t, "project");
  const result = await runCli(["flush", "--project-dir", project]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "nothing owed\n");
  assert.throws(() => readFileSync(join(project, ".claude", "bg-notify", "state.json")));
});

test("a lock held by a live process: exit 1 with one line, nothing delivered", async (t) => {
  const dir = tempDir(t);
  await seed(dir);
  const lock = join(dir, "state.lock");
  mkdirSync(lock);
  // A live holder refreshes its lock; keep it fresh for the whole run.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimesSync(lock, now, now);
  }, 300);
  t.after(() => clearInterval(heartbeat));
  const result = await runCli(["flush", "--state-dir", dir]);
  clearInterval(heartbeat);
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  assert.match(result.stderr, /^bg-notify flush: .*state\.lock is held by another process/);
  assert.deepEqual(owedIds(dir), ["a1", "a2", "b1"]);
});
