// `bg-notify statusline`: one short line from Claude Code's stdin JSON, never blocking on stdin, never
// failing the status bar.
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  cleanEnv,
  complete,
  runCli,
  running,
  SESSION_A,
  SESSION_B,
  seedState,
  task,
  tempDir,
} from "./helpers.ts";

async function seedProject(project: string): Promise<string> {
  const dir = join(project, ".claude", "bg-notify");
  await seedState(dir, (state) => {
    running(state, task("a0", SESSION_A, "running"));
    running(state, task("a9", SESSION_A, "pending"));
    complete(state, task("a1", SESSION_A, "completed"));
    complete(state, task("a2", SESSION_A, "error"));
    complete(state, task("a3", SESSION_A, "completed"));
    complete(state, task("b1", SESSION_B, "completed"));
    // A foreground agent is not a background task: never counted.
    running(state, task("fg", SESSION_A, "running", { kind: "agent", background: false }));
  });
  return dir;
}

const statusInput = (project: string, sessionId: string) =>
  JSON.stringify({
    hook_event_name: "Status",
    session_id: sessionId,
    cwd: join(project, "sub"),
    workspace: { current_dir: join(project, "sub"), project_dir: project },
    model: { id: "claude", display_name: "Claude" },
  });

test("reads session and project from Claude Code's stdin JSON", async (t) => {
  const project = tempDir(t, "project");
  await seedProject(project);
  const a = await runCli(["statusline"], { input: statusInput(project, SESSION_A) });
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, "bg 2 running · 3 done (1 failed) · 3 to report\n");
  const b = await runCli(["statusline"], { input: statusInput(project, SESSION_B) });
  assert.equal(b.stdout, "bg 1 done · 1 to report\n");
  const json = await runCli(["statusline", "--json"], { input: statusInput(project, SESSION_A) });
  assert.deepEqual(JSON.parse(json.stdout), {
    line: "bg 2 running · 3 done (1 failed) · 3 to report",
    sessionId: SESSION_A,
    stateDir: join(project, ".claude", "bg-notify"),
    running: 2,
    done: 3,
    failed: 1,
    cancelled: 0,
    owed: 3,
  });
});

test("without stdin JSON it uses the environment and options; an idle project says so", async (t) => {
  const project = tempDir(t, "project");
  const idle = await runCli(["statusline"], { env: cleanEnv({ CLAUDE_PROJECT_DIR: project }) });
  assert.equal(idle.code, 0);
  assert.equal(idle.stdout, "bg idle\n");
  const dir = await seedProject(project);
  const all = await runCli(["statusline", "--state-dir", dir]);
  assert.equal(all.stdout, "bg 2 running · 4 done (1 failed) · 4 to report\n");
  const one = await runCli(["statusline", "--project-dir", project, "--session", SESSION_B], {
    input: "not json",
  });
  assert.equal(one.stdout, "bg 1 done · 1 to report\n");
});

test("stdin left open does not hold the line up", async (t) => {
  const project = tempDir(t, "project");
  await seedProject(project);
  // Generous: the point is that it returns at all without stdin closing (it waits ~150 ms).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([
    runCli(["statusline", "--project-dir", project, "--session", SESSION_B], { keepStdinOpen: true }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("statusline waited on stdin")), 20_000);
    }),
  ]);
  clearTimeout(timer);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, "bg 1 done · 1 to report\n");
});

test("a damaged state file gives a short line and exit 0; bad arguments still exit 2", async (t) => {
  const project = tempDir(t, "project");
  const dir = await seedProject(project);
  writeFileSync(join(dir, "state.json"), "{");
  const damaged = await runCli(["statusline", "--state-dir", dir]);
  assert.equal(damaged.code, 0);
  assert.equal(damaged.stdout, "bg ? (state damaged)\n");
  const bad = await runCli(["statusline", "--session"]);
  assert.equal(bad.code, 2);
});

test("a state directory a repository planted as a link is not read: the line says bg-notify is off", async (t) => {
  const project = tempDir(t, "project");
  const elsewhere = tempDir(t, "elsewhere");
  await seedProject(elsewhere);
  mkdirSync(join(project, ".claude"));
  symlinkSync(join(elsewhere, ".claude", "bg-notify"), join(project, ".claude", "bg-notify"));
  const run = await runCli(["statusline", "--project-dir", project]);
  assert.equal(run.code, 0);
  assert.equal(run.stdout, "bg off (see bg-notify doctor)\n");
});
