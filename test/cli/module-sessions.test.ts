// Sessions the hooks module held keep their state in Claude Code's plugin store: `status` and `doctor`
// read it (never through a link), for this project only, and say which layer held.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { SESSION_KEY_PREFIX, type SessionRecord } from "../../src/core/session-record.ts";
import { createEmptyState } from "../../src/core/state.ts";
import { readModuleSessions } from "../../src/store/module-records.ts";
import { cleanEnv, complete, runCli, task, tempDir } from "./helpers.ts";

function record(project: string, build: (r: SessionRecord) => void): SessionRecord {
  const r: SessionRecord = {
    version: 1,
    project,
    layer: { name: "module", why: "Claude Code loaded the hooks module" },
    updatedAt: Date.now(),
    state: createEmptyState(Date.now()),
    events: [],
  };
  build(r);
  return r;
}

/** A home whose plugin store holds two sessions of `project` and one of another project. */
function seedHome(home: string, project: string): string {
  const dir = join(home, ".claude", "plugins", "store");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "bg-notify_inline-0123456789ab.json");
  const values = {
    [`${SESSION_KEY_PREFIX}s-module`]: record(project, (r) => {
      complete(r.state, task("m1", "s-module", "completed"), Date.now() - 500);
      r.events.push({
        id: "e-m1",
        time: new Date().toISOString(),
        type: "background_task_completed",
        payload: { taskId: "m1" },
        source: "module",
      });
    }),
    [`${SESSION_KEY_PREFIX}s-hooks`]: record(project, (r) => {
      r.layer = { name: "hooks", why: "mode summarize is served by the command hooks" };
      r.updatedAt -= 10_000;
    }),
    [`${SESSION_KEY_PREFIX}s-other`]: record("/somewhere/else", (r) =>
      complete(r.state, task("o1", "s-other", "completed")),
    ),
    unrelated: 3,
  };
  writeFileSync(file, JSON.stringify(values));
  return file;
}

test("the module's sessions of this project, newest first; other projects and keys are left out", (t) => {
  const home = tempDir(t, "home");
  const project = tempDir(t, "project");
  seedHome(home, project);
  const sessions = readModuleSessions({ HOME: home }, project);
  assert.deepEqual(
    sessions.map((s) => [s.sessionId, s.layer.name]),
    [
      ["s-module", "module"],
      ["s-hooks", "hooks"],
    ],
  );
  assert.deepEqual(readModuleSessions({ HOME: home, CLAUDE_CONFIG_DIR: join(home, "none") }, project), []);
});

test("a store file that is a link is not read, and is named", (t) => {
  const home = tempDir(t, "home");
  const project = tempDir(t, "project");
  const real = seedHome(tempDir(t, "elsewhere"), project);
  const dir = join(home, ".claude", "plugins", "store");
  mkdirSync(dir, { recursive: true });
  symlinkSync(real, join(dir, "bg-notify_inline-linked.json"));
  const warnings: string[] = [];
  assert.deepEqual(readModuleSessions({ HOME: home }, project, warnings), []);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? "", /bg-notify_inline-linked\.json/);
});

test("status counts the module's tasks and batches with the project's and says which layer held", async (t) => {
  const home = tempDir(t, "home");
  const project = tempDir(t, "project");
  seedHome(home, project);
  const env = cleanEnv({ HOME: home });
  const json = await runCli(["status", "--json", "--project-dir", project], { env });
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as {
    tasks: { id: string }[];
    undelivered: { taskIds: string[] }[];
    layers: { sessionId: string; layer: string; why: string }[];
  };
  assert.deepEqual(
    report.tasks.map((x) => x.id),
    ["m1"],
  );
  assert.deepEqual(report.undelivered[0]?.taskIds, ["m1"]);
  assert.deepEqual(
    report.layers.map((l) => [l.sessionId, l.layer]),
    [
      ["s-module", "module"],
      ["s-hooks", "hooks"],
    ],
  );
  const text = await runCli(["status", "--project-dir", project], { env });
  assert.match(text.stdout, /Layer: session s-module\s+hooks module \(in-process\)/);
  assert.match(text.stdout, /Layer: session s-hooks\s+command hooks\s+mode summarize/);
});

test("events prints the module's sessions' events with the log's", async (t) => {
  const home = tempDir(t, "home");
  const project = tempDir(t, "project");
  seedHome(home, project);
  const run = await runCli(["events", "--json", "--project-dir", project], { env: cleanEnv({ HOME: home }) });
  assert.equal(run.code, 0, run.stderr);
  const records = run.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; source: string });
  assert.deepEqual(
    records.map((r) => [r.id, r.source]),
    [["e-m1", "module"]],
  );
});

test("doctor says which layer holds this session, from the marker the module sets", async (t) => {
  const home = tempDir(t, "home");
  const project = tempDir(t, "project");
  const layer = async (extra: NodeJS.ProcessEnv) => {
    const run = await runCli(["doctor", "--json", "--project-dir", project], {
      env: cleanEnv({ HOME: home, ...extra }),
    });
    const report = JSON.parse(run.stdout) as { checks: { name: string; detail: string }[] };
    return report.checks.find((c) => c.name === "delivery layer")?.detail ?? "";
  };
  assert.match(
    await layer({ CLAUDECODE: "1", BG_NOTIFY_HELD_BY: "module" }),
    /this session: the hooks module holds/,
  );
  assert.match(
    await layer({ CLAUDECODE: "1" }),
    /this session: the command hooks hold: Claude Code did not load/,
  );
  assert.match(
    await layer({ CLAUDECODE: "1", BG_NOTIFY_LAYER: "hooks" }),
    /this session: the command hooks hold \(the configuration asks for "layer": "hooks"\)/,
  );
  assert.match(await layer({}), /config: "layer": "auto", the hooks module/);
});

test("the statusline counts a module session's tasks; another session's are not its own", async (t) => {
  const home = tempDir(t, "home");
  const project = tempDir(t, "project");
  seedHome(home, project);
  const env = cleanEnv({ HOME: home });
  const input = (sessionId: string) =>
    JSON.stringify({ session_id: sessionId, cwd: project, workspace: { project_dir: project } });
  const mine = await runCli(["statusline"], { env, input: input("s-module") });
  assert.equal(mine.code, 0, mine.stderr);
  assert.equal(mine.stdout, "bg 1 done · 1 to report\n");
  const other = await runCli(["statusline"], { env, input: input("s-hooks") });
  assert.equal(other.stdout, "bg idle\n");
});

test("flush shows what a module session holds and claims none of it", async (t) => {
  const home = tempDir(t, "home");
  const project = tempDir(t, "project");
  const file = seedHome(home, project);
  const before = readFileSync(file, "utf8");
  const env = cleanEnv({ HOME: home });
  const run = await runCli(["flush", "--project-dir", project], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /held by the hooks module in session s-module/);
  assert.match(run.stdout, /m1/);
  assert.doesNotMatch(run.stdout, /o1/);
  assert.equal(readFileSync(file, "utf8"), before);
  const json = await runCli(["flush", "--json", "--project-dir", project], { env });
  const report = JSON.parse(json.stdout) as { heldByModule: { sessionId: string; taskIds: string[] }[] };
  assert.deepEqual(report.heldByModule, [{ sessionId: "s-module", taskIds: ["m1"] }]);
});
