// `bg-notify status`: tasks by state, owed batches against the window, recent deliveries, lock health.
import assert from "node:assert/strict";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { claimBatches } from "../../src/core/batching.ts";
import { noteHostVersion } from "../../src/core/host.ts";
import {
  assertNoColour,
  cleanEnv,
  complete,
  LIMITS,
  runCli,
  running,
  SESSION_A,
  SESSION_B,
  seedState,
  task,
  tempDir,
} from "./helpers.ts";

interface StatusJson {
  stateDir: string;
  exists: boolean;
  counts: Record<string, number>;
  tasks: { id: string; status: string }[];
  undelivered: { id: string; tasks: number; taskIds: string[]; dueInMs: number; ageMs: number }[];
  recentDeliveries: { id: string; deliveredVia: string; taskIds: string[] }[];
  lock: { present: boolean; stale?: boolean; ageMs?: number };
}

/** Session A: one running, one delivered batch (a1), one owed batch (a2 failed, a3 completed). B: one owed. */
async function seed(dir: string): Promise<void> {
  await seedState(dir, (state) => {
    running(state, task("a0", SESSION_A, "running"));
    complete(state, task("a1", SESSION_A, "completed"), Date.now() - 60_000);
    claimBatches(state, Date.now() - 50_000, LIMITS, { via: "rewake", by: "test" });
    complete(state, task("a2", SESSION_A, "error"), Date.now() - 5000);
    complete(state, task("a3", SESSION_A, "completed"), Date.now() - 4000);
    complete(state, task("b1", SESSION_B, "completed"), Date.now() + 0);
  });
}

test("text: counts by state, owed batches with age against the window, recent deliveries, free lock", async (t) => {
  const dir = tempDir(t);
  await seed(dir);
  const result = await runCli(["status", "--state-dir", dir]);
  assert.equal(result.code, 0, result.stderr);
  assertNoColour(result.stdout);
  const out = result.stdout;
  assert.match(out, /Tasks: 1 running · 0 pending · 3 completed · 1 failed · 0 cancelled/);
  assert.match(out, /^ {2}running .*a0 .*started [5-9]\.\d s ago/m);
  assert.match(out, /^ {2}failed .*a2 .*exit 3/m);
  assert.match(out, /Undelivered: 2 batch\(es\), 3 task\(s\) · mode coalesce, window 1\.0 s, max 5/);
  assert.match(out, /session-a {2}2 task\(s\) {2}age [5-9]\.\d s \/ window 1\.0 s {2}overdue by \d\.\d s/);
  assert.match(
    out,
    /Recent deliveries:\n {2}b-\S+ {2}session session-a {2}1 task\(s\) \(a1\) {2}via rewake {2}5\d\.\d s ago/,
  );
  assert.match(out, /^Lock: free$/m);
});

test("--session shows one parent only; --json carries the same facts", async (t) => {
  const dir = tempDir(t);
  await seed(dir);
  // A window long enough that B's batch is certainly not due while the command starts.
  const env = cleanEnv({ BG_NOTIFY_BATCH_WINDOW_MS: "60000" });
  const result = await runCli(["status", "--state-dir", dir, "--session", SESSION_B, "--json"], { env });
  assert.equal(result.code, 0, result.stderr);
  const status = JSON.parse(result.stdout) as StatusJson;
  assert.equal(status.exists, true);
  assert.deepEqual(status.counts, { running: 0, ended: 0, pending: 0, completed: 1, error: 0, cancelled: 0 });
  assert.deepEqual(
    status.tasks.map((t) => t.id),
    ["b1"],
  );
  assert.equal(status.undelivered.length, 1);
  assert.deepEqual(status.undelivered[0]?.taskIds, ["b1"]);
  assert.ok((status.undelivered[0]?.dueInMs ?? 0) > 0, "the window has not closed yet");
  assert.deepEqual(status.recentDeliveries, []);
  assert.equal(status.lock.present, false);

  const all = JSON.parse((await runCli(["status", "--state-dir", dir, "--json"])).stdout) as StatusJson;
  assert.equal(all.undelivered.length, 2);
  assert.deepEqual(all.recentDeliveries[0]?.taskIds, ["a1"]);
});

test("lock health: a fresh lock is held, an old one is stale, and so is one stamped in the future", async (t) => {
  const dir = tempDir(t);
  await seed(dir);
  const lock = join(dir, "state.lock");
  mkdirSync(lock);
  const held = await runCli(["status", "--state-dir", dir]);
  assert.equal(held.code, 0);
  assert.match(held.stdout, /^Lock: held \(refreshed \d+ ms ago\)$/m);

  const old = (Date.now() - 30_000) / 1000;
  utimesSync(lock, old, old);
  const stale = await runCli(["status", "--state-dir", dir]);
  assert.equal(stale.code, 0);
  assert.match(stale.stdout, /^Lock: .*state\.lock is stale \(3\d\.\d s since it was refreshed\)/m);
  const json = JSON.parse((await runCli(["status", "--state-dir", dir, "--json"])).stdout) as StatusJson;
  assert.equal(json.lock.present, true);
  assert.equal(json.lock.stale, true);

  const ahead = (Date.now() + 60_000) / 1000;
  utimesSync(lock, ahead, ahead);
  const future = await runCli(["status", "--state-dir", dir]);
  assert.match(future.stdout, /^Lock: .*state\.lock is stamped (59|60)\.\d s in the future .*stale/m);
});

test("finds the state from --project-dir or CLAUDE_PROJECT_DIR; a project without state is not an error", async (t) => {
  const project = tempDir(t, "project");
  const empty = await runCli(["status", "--project-dir", project]);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /no state yet/);
  assert.match(empty.stdout, /Tasks: 0 running/);

  await seed(join(project, ".claude", "bg-notify"));
  const viaEnv = await runCli(["status", "--json"], {
    env: cleanEnv({ CLAUDE_PROJECT_DIR: project }),
  });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.equal((JSON.parse(viaEnv.stdout) as StatusJson).stateDir, join(project, ".claude", "bg-notify"));
  assert.equal((JSON.parse(viaEnv.stdout) as StatusJson).undelivered.length, 2);
});

test("a missing --state-dir or a damaged state file exits 1 with one clear line", async (t) => {
  const dir = tempDir(t);
  const missing = await runCli(["status", "--state-dir", join(dir, "nope")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^bg-notify status: state directory .*nope does not exist\n$/);

  writeFileSync(join(dir, "state.json"), "{ not json");
  const damaged = await runCli(["status", "--state-dir", dir]);
  assert.equal(damaged.code, 1);
  assert.match(damaged.stderr, /state\.json is damaged \(unparsable JSON\)/);
});

test("a session bg-notify stepped aside for is named, with why, in text and in --json", async (t) => {
  const dir = tempDir(t);
  await seedState(dir, (state) => {
    complete(state, task("a1", SESSION_A, "completed"), Date.now() - 5000);
    noteHostVersion(state, SESSION_B, "2.1.300", Date.now());
    noteHostVersion(state, SESSION_A, "2.1.332", Date.now());
  });
  const text = await runCli(["status", "--state-dir", dir]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /^Stepped aside: session session-b {2}Claude Code 2\.1\.300 is older than \S+, the oldest it is tested on; every notice passed natively$/m,
  );
  assert.doesNotMatch(text.stdout, /Stepped aside: session session-a/);
  const json = await runCli(["status", "--state-dir", dir, "--json"]);
  const parsed = JSON.parse(json.stdout) as { steppedAside: { sessionId: string; claudeCode?: string }[] };
  assert.deepEqual(
    parsed.steppedAside.map((a) => [a.sessionId, a.claudeCode]),
    [[SESSION_B, "2.1.300"]],
  );
});
