// hooks/run, the launcher every hook goes through: it may skip node only where the hook would have done
// nothing, finds a node the PATH lacks, and without one passes everything natively, silently.

import assert from "node:assert/strict";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import test, { type TestContext } from "node:test";
import { BLOCK_END, LAUNCHER_NAMES, launcherBlock } from "../../scripts/launcher-names.ts";
import { completionKey, taskKey } from "../../src/core/state.ts";
import type { BackgroundTask, Batch, BgState } from "../../src/core/types.ts";
import { HOOK_TABLE, type HookSpec } from "../../src/plugin/hook-table.ts";
import { QUEUED_INPUTS } from "../../src/plugin/inbox-fold.ts";
import { ensureStateDir, GITIGNORE, INBOX_DIR } from "../../src/store/paths.ts";
import { QUIET_FLAGS } from "../../src/store/quiet-flags.ts";
import { withLockedState } from "../../src/store/transaction.ts";
import { makeTask, noticePrompt } from "../fixtures/claude-inputs.ts";
import { tempDir, testProject } from "../helpers.ts";
import { hostileIds } from "../reliability/paths.ts";
import { hideNodeArgs, type NodeRun, startProcess } from "../spawn.ts";
import { FIXTURES, loadFixture, REPO_ROOT } from "./hook-harness.ts";

const LAUNCHER = join(REPO_ROOT, "hooks", "run");
const TEXT = readFileSync(LAUNCHER, "utf8");

/** A `node` that says it is `version`, and otherwise notes that it was started (with its stdin). */
function fakeNode(dir: string, version = "v20.11.0"): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "node");
  writeFileSync(
    path,
    `#!/bin/sh\ncase "$1" in --version) echo ${version}; exit 0;; esac\n{ echo "\${1##*/}"; cat; } > "${dir}/started.$$"\nexit 0\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

function startedIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith("started.")) : [];
}

interface LauncherRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function launch(
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<LauncherRun> {
  const run = await startProcess("sh", [LAUNCHER, ...args], { env, cwd, input, timeoutMs: 20_000 }).done;
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
}

/** A directory with the few programs the launcher calls, and no node. */
function toolsDir(dir: string): string {
  const tools = join(dir, "tools");
  if (existsSync(tools)) return tools;
  mkdirSync(tools, { recursive: true });
  for (const name of ["cat", "mkdir", "mv", "rm", "sh"]) {
    const found = ["/usr/bin", "/bin"].map((d) => join(d, name)).find((p) => existsSync(p));
    if (found) symlinkSync(found, join(tools, name));
  }
  return tools;
}

/** Only what the launcher needs: HOME, and a PATH whose only node is one a test puts there. */
function baseEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: home, ...extra, PATH: extra["PATH"] ?? toolsDir(home) };
}

test("the launcher and the store name the same files: its block is the one the build writes", () => {
  assert.ok(TEXT.includes(`${launcherBlock()}\n`), "hooks/run's generated block is stale: npm run build");
  for (const value of [...Object.values(QUIET_FLAGS), INBOX_DIR])
    assert.ok(!TEXT.includes(`/${value}`), value);
  // Every name the block defines is used, and none is spelt out again below it.
  const body = TEXT.slice(TEXT.indexOf(BLOCK_END));
  for (const name of Object.keys(LAUNCHER_NAMES)) assert.ok(body.includes(`$${name}`), name);
  for (const spec of HOOK_TABLE) assert.ok(existsSync(join(REPO_ROOT, "dist", "hooks", `${spec.name}.js`)));
});

test("the store keeps the flags: dropped before a busy state is committed, set after a quiet one", async (t) => {
  const { stateDir } = testProject(t);
  const flags = () => Object.values(QUIET_FLAGS).filter((f) => existsSync(join(stateDir, f)));
  const session = "s-1";
  const running = makeTask("b1", session, "running");
  await withLockedState(stateDir, (s) => {
    s.tasks[taskKey(session, "b1")] = running;
  });
  assert.deepEqual(flags(), [QUIET_FLAGS.nothingOwed]);
  const done = makeTask("b1", session, "completed");
  await withLockedState(stateDir, (s) => {
    s.tasks[taskKey(session, "b1")] = done;
    s.batches.push(batchOf(session, [done]));
  });
  assert.deepEqual(flags(), [QUIET_FLAGS.nothingRunning]);
  await withLockedState(stateDir, (s) => {
    const batch = s.batches[0] as Batch;
    batch.deliveredAt = Date.now();
    batch.deliveredVia = "rewake";
  });
  assert.deepEqual(flags(), [QUIET_FLAGS.nothingRunning], "sent, not yet acknowledged: still owed");
  await withLockedState(stateDir, (s) => {
    (s.batches[0] as Batch).ackedAt = Date.now();
  });
  assert.deepEqual(flags().sort(), Object.values(QUIET_FLAGS).sort());
});

function batchOf(session: string, tasks: BackgroundTask[], delivered?: { acked: boolean }): Batch {
  const now = Date.now();
  return {
    id: `batch-${session}-${tasks.map((t) => t.id).join("-")}`,
    parentSessionId: session,
    openedAt: now - 2000,
    items: tasks.map((task) => ({ key: completionKey(task), recordedAt: now - 2000, task })),
    ...(delivered
      ? {
          deliveredAt: now - 1000,
          deliveredVia: "rewake",
          ...(delivered.acked ? { ackedAt: now - 900 } : {}),
        }
      : {}),
  };
}

// ---- The decision: wherever the launcher skips node, the hook itself would have done nothing. ----

interface Case {
  hook: HookSpec;
  input: string;
}

function matches(spec: HookSpec, input: Record<string, unknown>): boolean {
  if (spec.event !== input["hook_event_name"]) return false;
  if (spec.matcher === undefined) return true;
  const subject = String(input["tool_name"] ?? input["source"] ?? "");
  return new RegExp(`^(?:${spec.matcher})$`).test(subject);
}

const TRICKY = [
  '"tool_name":"Bash"',
  '"background_tasks":[]',
  "<task-notification>",
  "task-notification",
  "run_in_background",
  "Background",
  '\\"',
  "\n",
  "é — ✓",
  "{}",
];

/** Deterministic pseudo-random numbers, so a failure names a case that can be run again. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function mutateStrings(value: unknown, random: () => number): unknown {
  if (typeof value === "string")
    return random() < 0.3 ? value + TRICKY[Math.floor(random() * TRICKY.length)] : value;
  if (Array.isArray(value)) return value.map((v) => mutateStrings(v, random));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mutateStrings(v, random)]));
  return value;
}

function variants(input: Record<string, unknown>): Record<string, unknown>[] {
  const out = [input];
  if (input["hook_event_name"] === "PostToolUse" && input["tool_name"] === "Bash") {
    const toolInput = { ...(input["tool_input"] as Record<string, unknown>) };
    delete toolInput["run_in_background"];
    const response = { ...(input["tool_response"] as Record<string, unknown>) };
    delete response["backgroundTaskId"];
    out.push({ ...input, tool_input: toolInput, tool_response: { ...response, stdout: "ok" } });
  }
  if (input["hook_event_name"] === "Stop") {
    out.push({ ...input, background_tasks: [] });
    const rest = { ...input };
    delete rest["background_tasks"];
    out.push(rest);
  }
  if (input["hook_event_name"] === "UserPromptSubmit")
    out.push({ ...input, prompt: "please run the tests" }, { ...input, prompt: 'say "tool_name":"Bash"' });
  if (input["hook_event_name"] === "PreToolUse") out.push({ ...input, tool_input: { prompt: "x" } });
  return out;
}

function allCases(): Case[] {
  const inputs: Record<string, unknown>[] = [];
  for (const file of readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".jsonl"))
    .sort())
    for (const event of loadFixture(file)) inputs.push(...variants(event.input));
  const random = rng(20261201);
  const fuzzed: Record<string, unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    const base = inputs[Math.floor(random() * inputs.length)] as Record<string, unknown>;
    fuzzed.push(mutateStrings(base, random) as Record<string, unknown>);
  }
  const cases: Case[] = [];
  for (const [i, input] of [...inputs, ...fuzzed].entries()) {
    // A queued launch is filed under its tool_use_id: one per case, so that each can be traced back.
    if (input["hook_event_name"] === "PostToolUse" && typeof input["tool_use_id"] === "string")
      input["tool_use_id"] = `${input["tool_use_id"]}${i}`;
    // So is a typed prompt's turn, under its prompt_id.
    if (input["hook_event_name"] === "UserPromptSubmit" && typeof input["prompt_id"] === "string")
      input["prompt_id"] = `${input["prompt_id"]}${i}`;
    // Compact as Claude Code writes it, and now and then spelled otherwise (the launcher must then start node).
    const text = i % 7 === 3 ? JSON.stringify(input, null, 1) : JSON.stringify(input);
    for (const hook of HOOK_TABLE) if (matches(hook, input)) cases.push({ hook, input: text });
  }
  return cases;
}

/** The hooks hooks/run may queue an input for instead of starting node. */
const QUEUEING = ["launch", "user-prompt-submit"];

type StateName = "fresh" | "quiet" | "running";

async function prepareState(dir: string, name: StateName, sessions: string[]): Promise<void> {
  if (name === "fresh") return;
  await withLockedState(dir, (s: BgState) => {
    for (const session of sessions) {
      if (name === "running") {
        s.tasks[taskKey(session, "brun")] = makeTask("brun", session, "running");
      } else {
        const done = makeTask("bdone", session, "completed");
        s.tasks[taskKey(session, "bdone")] = done;
        s.batches.push(batchOf(session, [done], { acked: true }));
        s.ledger[completionKey(done)] = Date.now() - 2000;
      }
    }
  });
}

function snapshot(dir: string): string {
  if (!existsSync(dir)) return "(none)";
  return readdirSync(dir)
    .sort()
    .map((f) =>
      f.endsWith(".json") || f.endsWith(".jsonl") ? `${f}:${readFileSync(join(dir, f), "utf8")}` : f,
    )
    .join("\n");
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

test("wherever the launcher skips node, the real hook does nothing: every recorded input, variants, fuzz", async (t) => {
  const cases = allCases();
  const sessions = [
    ...new Set(
      cases.map((c) => String((JSON.parse(c.input) as Record<string, unknown>)["session_id"] ?? "")),
    ),
  ];
  const skipped: { state: StateName; c: Case; dir: string }[] = [];
  const queued: { state: StateName; c: Case; dir: string; file: string }[] = [];
  let started = 0;
  for (const state of ["fresh", "quiet", "running"] as const) {
    const project = testProject(t);
    // PostToolUse runs in a project of its own: the launches it queues must not change the others' state.
    const launches = testProject(t);
    for (const p of [project, launches]) await prepareState(p.stateDir, state, sessions);
    const projectOf = (c: Case) => (c.hook.event === "PostToolUse" ? launches : project);
    const bin = join(project.dir, "fake-bin");
    fakeNode(bin);
    const tools = toolsDir(project.dir);
    await inPool(cases, 4, async (c) => {
      const { dir } = projectOf(c);
      const env = baseEnv(project.dir, { PATH: `${bin}:${tools}`, CLAUDE_PROJECT_DIR: dir });
      const run = await launch([c.hook.name], c.input, env, dir);
      assert.equal(run.code, 0, `${state} ${c.hook.name}: ${run.stderr}`);
      assert.equal(run.stdout, "");
    });
    // Each start left one file (the bundle's name, then its stdin): match them back to the cases.
    const key = (hook: string, input: string) => `${hook}.js\n${input}`;
    const startedInputs = new Map<string, number>();
    for (const f of startedIn(bin)) {
      const text = readFileSync(join(bin, f), "utf8").replace(/\n$/, "");
      startedInputs.set(text, (startedInputs.get(text) ?? 0) + 1);
    }
    // A background launch or a typed prompt's turn may instead be queued, verbatim, for the store to
    // fold in later.
    const queuedInputs = new Map<string, string>();
    for (const inbox of [launches, project].map((p) => join(p.stateDir, INBOX_DIR)))
      for (const f of existsSync(inbox) ? readdirSync(inbox) : []) {
        assert.match(f, /^[A-Za-z0-9_-]+\.json$/, "only finished entries are left in the inbox");
        queuedInputs.set(readFileSync(join(inbox, f), "utf8").replace(/\n$/, ""), join(inbox, f));
      }
    for (const c of cases) {
      const n = startedInputs.get(key(c.hook.name, c.input)) ?? 0;
      const file = QUEUEING.includes(c.hook.name) ? queuedInputs.get(c.input) : undefined;
      if (n > 0) {
        startedInputs.set(key(c.hook.name, c.input), n - 1);
        started++;
      } else if (file) {
        queuedInputs.delete(c.input);
        queued.push({ state, c, dir: projectOf(c).dir, file });
      } else skipped.push({ state, c, dir: projectOf(c).dir });
    }
    assert.deepEqual([...queuedInputs.values()], [], "every queued entry is a known case");
    assert.deepEqual(
      [...startedInputs.values()].filter((n) => n > 0),
      [],
      "every start is a known case",
    );
  }
  assert.ok(skipped.length > 20, `the fast path is taken (${skipped.length} skips)`);
  assert.ok(started > 50, `node is started where it matters (${started} starts)`);
  const queuedOf = (name: string) => queued.filter((q) => q.c.hook.name === name).length;
  assert.ok(queuedOf("launch") > 5, `background launches are queued (${queuedOf("launch")})`);
  assert.ok(queuedOf("user-prompt-submit") > 3, `prompts are queued (${queuedOf("user-prompt-submit")})`);

  // Every queued input, folded in by the store, leaves the state the real bundle would have left.
  await inPool(queued, 3, async ({ state, c, dir, file }) => {
    const label = `${state} / ${c.input.slice(0, 300)}`;
    const [viaNode, viaQueue] = [0, 1].map(() => {
      const copy = tempDir(t, "queued");
      const stateDir = join(copy, ".claude", "bg-notify");
      cpSync(join(dir, ".claude", "bg-notify"), stateDir, { recursive: true });
      rmSync(join(stateDir, INBOX_DIR), { recursive: true, force: true });
      mkdirSync(join(stateDir, INBOX_DIR));
      return { copy, stateDir };
    }) as [{ copy: string; stateDir: string }, { copy: string; stateDir: string }];
    const env = { PATH: process.env["PATH"] ?? "", HOME: viaNode.copy, CLAUDE_PROJECT_DIR: viaNode.copy };
    const bundle = join(REPO_ROOT, "dist", "hooks", `${c.hook.name}.js`);
    const run = await startProcess(process.execPath, [bundle], {
      env,
      cwd: viaNode.copy,
      input: c.input,
      timeoutMs: 20_000,
    }).done;
    assert.equal(run.code, 0, label);
    assert.equal(run.stdout, "", `queued, yet the hook would have said something: ${label}`);
    cpSync(file, join(viaQueue.stateDir, INBOX_DIR, file.split("/").at(-1) as string));
    await withLockedState(viaQueue.stateDir, () => undefined, { inbox: QUEUED_INPUTS });
    assert.deepEqual(readdirSync(join(viaQueue.stateDir, INBOX_DIR)), [], "folded, then removed");
    const parent = String((JSON.parse(c.input) as Record<string, unknown>)["session_id"]);
    assert.deepEqual(timeless(viaQueue.stateDir, parent), timeless(viaNode.stateDir, parent), label);
  });

  // Every skip, run through the real bundle on a copy of the same state: no output, nothing changed.
  await inPool(skipped, 3, async ({ state, c, dir }) => {
    const copy = tempDir(t, "skip");
    const from = join(dir, ".claude", "bg-notify");
    const stateDir = join(copy, ".claude", "bg-notify");
    if (existsSync(from)) {
      cpSync(from, stateDir, { recursive: true });
      // The launches other cases queued since this one was skipped are not part of its state.
      rmSync(join(stateDir, INBOX_DIR), { recursive: true, force: true });
    }
    const before = snapshot(stateDir);
    const env = { PATH: process.env["PATH"] ?? "", HOME: copy, CLAUDE_PROJECT_DIR: copy };
    const run = await startProcess(
      process.execPath,
      [join(REPO_ROOT, "dist", "hooks", `${c.hook.name}.js`)],
      {
        env,
        cwd: copy,
        input: c.input,
        timeoutMs: 20_000,
      },
    ).done;
    const label = `${state} / ${c.hook.name} / ${c.input.slice(0, 300)}`;
    assert.equal(run.code, 0, label);
    assert.equal(run.stdout, "", `skipped, yet the hook would have said something: ${label}`);
    // Input the hook would only have called bad (and left alone) may be skipped too.
    if (run.stderr !== "") assert.match(run.stderr, /^bg-notify \S+: bad input: [^\n]*\n$/, label);
    assert.equal(snapshot(stateDir), before, `skipped, yet the hook would have changed the state: ${label}`);
  });
});

/**
 * One parent's running tasks and turn, without the times (a queued launch is timed by its file). The
 * history may differ: a hook's transaction also prunes what is past keeping.
 */
function timeless(stateDir: string, parent: string): unknown {
  const state = JSON.parse(readFileSync(join(stateDir, "state.json"), "utf8")) as BgState;
  const tasks = Object.values(state.tasks)
    .filter((task) => task.parentSessionId === parent && task.status === "running")
    .map(({ startedAt, queuedAt, lastProgressAt, ...rest }) => [rest, typeof startedAt]);
  return { tasks, turn: state.sessions?.[parent]?.promptId };
}

// ---- Finding node ----

test("a node found on PATH too old is passed over for one in the usual places; a verified path is kept", async (t) => {
  const { dir } = testProject(t);
  const old = join(dir, "old-bin");
  fakeNode(old, "v18.19.0");
  const volta = join(dir, ".volta", "bin");
  fakeNode(volta, "v22.3.0");
  const data = join(dir, "plugin-data");
  const env = baseEnv(dir, { PATH: `${old}:${toolsDir(dir)}`, CLAUDE_PLUGIN_DATA: data });
  const input = JSON.stringify({ hook_event_name: "SubagentStart", session_id: "s", agent_id: "a" });
  const run = await launch(["subagent-start"], input, env, dir);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(startedIn(old), [], "node 18 is never started");
  assert.equal(startedIn(volta).length, 1, "volta's node 22 is");
  assert.equal(readFileSync(join(data, "node-path"), "utf8").trim(), join(volta, "node"));
  // Next time the kept path is used as it is (no version check): make it say it is old to prove it.
  fakeNode(volta, "v1.0.0");
  await launch(["subagent-start"], input, env, dir);
  assert.equal(startedIn(volta).length, 2);
});

test("nvm's newest recent-enough version is used when nothing else is found", async (t) => {
  const { dir } = testProject(t);
  for (const v of ["v18.20.0", "v20.11.1", "v22.1.0"])
    fakeNode(join(dir, ".nvm", "versions", "node", v, "bin"), v);
  const first = join(dir, "first");
  fakeNode(first, "v16.0.0");
  const run = await launch(
    ["cli", "--version"],
    "",
    baseEnv(dir, { PATH: `${first}:${toolsDir(dir)}` }),
    dir,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(startedIn(first), []);
  assert.equal(startedIn(join(dir, ".nvm", "versions", "node", "v22.1.0", "bin")).length, 1);
});

/** The fields every hook input of session s-1 carries, in Claude Code's order. */
const sessionFields = (cwd: string) => ({ session_id: "s-1", transcript_path: "/tmp/s-1.jsonl", cwd });

/** A prompt the person typed, as UserPromptSubmit receives it after the session's fields. */
const TYPED_PROMPT = {
  prompt_id: "6b5057bf-b806-4a39-9ebb-eb065660817f",
  permission_mode: "default",
  hook_event_name: "UserPromptSubmit",
  prompt: "how are the builds going?",
};

/** A project whose only node is a fake one that notes each start in `bin` (startedIn). */
function projectWithFakeNode(t: TestContext) {
  const project = testProject(t);
  const bin = join(project.dir, "fake-bin");
  fakeNode(bin);
  const env = baseEnv(project.dir, {
    PATH: `${bin}:${toolsDir(project.dir)}`,
    CLAUDE_PROJECT_DIR: project.dir,
  });
  return { project, bin, env };
}

test("a background shell's launch is queued without node; a queued launch keeps the quiet paths off", async (t) => {
  const { project, bin, env } = projectWithFakeNode(t);
  const launchInput = JSON.stringify({
    ...sessionFields(project.dir),
    hook_event_name: "PostToolUse",
    tool_name: "Bash",
    tool_input: { command: "sleep 9", run_in_background: true },
    tool_response: { stdout: "", stderr: "", backgroundTaskId: "bk1" },
    tool_use_id: "toolu_01",
  });
  const stop = JSON.stringify({ session_id: "s-1", hook_event_name: "Stop", stop_hook_active: false });
  const inbox = join(project.stateDir, INBOX_DIR);

  // A project's first launch goes to node, which makes (and checks) the state directory; the launcher
  // never makes a directory itself.
  const first = await launch(["launch"], launchInput, env, project.dir);
  assert.equal(first.code, 0);
  assert.equal(startedIn(bin).length, 1, "no state directory yet: node makes it");
  assert.equal(existsSync(project.stateDir), false);
  rmSync(join(bin, readdirSync(bin).find((f) => f.startsWith("started."))!));
  ensureStateDir({ dir: project.stateDir, parent: join(project.dir, ".claude") });
  const queued = await launch(["launch"], launchInput, env, project.dir);
  assert.equal(queued.stdout + queued.stderr, "");
  assert.equal(startedIn(bin).length, 0, "the launch was queued, not handed to node");
  assert.deepEqual(readdirSync(inbox), ["toolu_01.json"]);
  assert.equal(readFileSync(join(inbox, "toolu_01.json"), "utf8"), `${launchInput}\n`);
  assert.equal(readFileSync(join(project.stateDir, ".gitignore"), "utf8"), GITIGNORE);
  assert.equal(statSync(project.stateDir).mode & 0o777, 0o700);
  assert.equal(statSync(join(inbox, "toolu_01.json")).mode & 0o777, 0o600);
  await launch(["stop"], stop, env, project.dir);
  assert.equal(startedIn(bin).length, 1, "a queued launch is running: Stop starts node");

  rmSync(inbox, { recursive: true });
  await prepareState(project.stateDir, "quiet", ["s-1"]);
  assert.equal((await launch(["stop"], stop, env, project.dir)).code, 0);
  assert.equal(startedIn(bin).length, 1, "quiet: an idle Stop starts no node");
  await launch(["launch"], launchInput, env, project.dir);
  assert.equal(startedIn(bin).length, 1);
  await launch(["stop"], stop, env, project.dir);
  assert.equal(startedIn(bin).length, 2);

  // A doubtful input starts node: an id that is not a plain name, a second tool_use_id, a replay's clock.
  const doubtful: [string, NodeJS.ProcessEnv][] = [
    [launchInput.replace('"toolu_01"', '"../x"'), env],
    [launchInput.replace('"cwd":', '"tool_use_id":"toolu_02","cwd":'), env],
    [launchInput, { ...env, BG_NOTIFY_CLOCK_FILE: join(project.dir, "clock") }],
  ];
  for (const id of hostileIds(project.dir))
    doubtful.push([launchInput.replace('"toolu_01"', JSON.stringify(id)), env]);
  for (const [input, runEnv] of doubtful) await launch(["launch"], input, runEnv, project.dir);
  assert.equal(startedIn(bin).length, 2 + doubtful.length, "every doubtful launch went to node");
  assert.deepEqual(readdirSync(inbox), ["toolu_01.json"]);
  assert.deepEqual(
    readdirSync(project.dir).filter((f) => f.includes("evil")),
    [],
  );
});

test("a typed prompt while work runs and nothing is owed is queued as its turn; anything else starts node", async (t) => {
  const { project, bin, env } = projectWithFakeNode(t);
  const prompt = JSON.stringify({ ...sessionFields(project.dir), ...TYPED_PROMPT });
  const inbox = join(project.stateDir, INBOX_DIR);
  const queuedFile = join(inbox, "prompt-6b5057bf-b806-4a39-9ebb-eb065660817f.json");
  const send = async (input: string, runEnv = env) => {
    const run = await launch(["user-prompt-submit"], input, runEnv, project.dir);
    assert.equal(run.code, 0);
    assert.equal(run.stdout + run.stderr, "");
  };

  // Nothing recorded, nothing queued: a typed prompt has nothing to note.
  await send(prompt);
  assert.equal(startedIn(bin).length, 0);
  assert.equal(existsSync(inbox), false);

  // A shell runs, nothing is owed: queued, verbatim, and it keeps no quiet path off.
  await prepareState(project.stateDir, "running", ["s-1"]);
  await send(prompt);
  assert.equal(startedIn(bin).length, 0, "queued, not handed to node");
  assert.equal(readFileSync(queuedFile, "utf8"), `${prompt}\n`);
  const stop = JSON.stringify({ session_id: "s-1", hook_event_name: "Stop", stop_hook_active: false });
  rmSync(join(project.stateDir, "state.json"));
  rmSync(join(project.stateDir, QUIET_FLAGS.nothingOwed), { force: true });
  await prepareState(project.stateDir, "quiet", ["s-1"]);
  await launch(["stop"], stop, env, project.dir);
  assert.equal(startedIn(bin).length, 0, "a queued prompt is no work: an idle Stop still starts no node");
  rmSync(inbox, { recursive: true });

  // Doubtful, or not a plain typed prompt while work runs: node.
  rmSync(join(project.stateDir, "state.json"));
  await prepareState(project.stateDir, "running", ["s-1"]);
  const doubtful: [string, NodeJS.ProcessEnv][] = [
    [prompt.replace("how are", "<task-notification>how are"), env],
    [prompt.replace('"prompt_id":"6b5057bf-b806-4a39-9ebb-eb065660817f",', ""), env],
    [prompt.replace('"cwd":', '"prompt_id":"p2","cwd":'), env],
    [prompt.replace('"s-1"', '"../s-1"'), env],
    [JSON.stringify(JSON.parse(prompt), null, 1), env],
    [prompt, { ...env, BG_NOTIFY_CLOCK_FILE: join(project.dir, "clock") }],
  ];
  for (const id of hostileIds(project.dir))
    doubtful.push([prompt.replace('"6b5057bf-b806-4a39-9ebb-eb065660817f"', JSON.stringify(id)), env]);
  for (const [i, [input, runEnv]] of doubtful.entries()) {
    await send(input, runEnv);
    assert.equal(startedIn(bin).length, i + 1, `doubtful ${i}: ${input.slice(0, 300)}`);
  }
  assert.equal(startedIn(bin).length, doubtful.length, "every doubtful prompt went to node");
  assert.equal(existsSync(inbox) ? readdirSync(inbox).length : 0, 0);

  // A config file may change what a prompt does: node.
  writeFileSync(join(project.dir, ".claude", "bg-notify.json"), "{}");
  await send(prompt);
  assert.equal(startedIn(bin).length, doubtful.length + 1);
  rmSync(join(project.dir, ".claude", "bg-notify.json"));

  // Something owed rides on the prompt as context: node, without reading the input first.
  rmSync(join(project.stateDir, QUIET_FLAGS.nothingOwed));
  await send(prompt);
  assert.equal(startedIn(bin).length, doubtful.length + 2);
  assert.equal(existsSync(inbox) ? readdirSync(inbox).length : 0, 0);

  // A launch whose tool_use_id could pass for a queued prompt is node's.
  const launchInput = JSON.stringify({
    session_id: "s-1",
    hook_event_name: "PostToolUse",
    tool_name: "Bash",
    tool_input: { command: "sleep 9", run_in_background: true },
    tool_response: { backgroundTaskId: "bk1" },
    tool_use_id: "prompt-x",
  });
  await launch(["launch"], launchInput, env, project.dir);
  assert.equal(startedIn(bin).length, doubtful.length + 3);
});

test("BG_NOTIFY_MODE=off: no hook starts node, reads a state or writes anything", async (t) => {
  const { dir, stateDir } = testProject(t);
  const bin = join(dir, "bin");
  fakeNode(bin);
  for (const spec of HOOK_TABLE) {
    const env = baseEnv(dir, {
      PATH: `${bin}:${toolsDir(dir)}`,
      BG_NOTIFY_MODE: "off",
      CLAUDE_PROJECT_DIR: dir,
    });
    const run = await launch([spec.name], "{}", env, dir);
    assert.equal(run.code, 0);
    assert.equal(run.stdout + run.stderr, "");
  }
  assert.deepEqual(startedIn(bin), []);
  assert.equal(existsSync(stateDir), false);
});

test("no node anywhere: every hook exits 0 and says nothing, except one line at session start", async (t) => {
  const hide = hideNodeArgs();
  if (!hide) {
    t.skip("cannot hide node here (needs unshare -m, i.e. root or user namespaces)");
    return;
  }
  const { dir, stateDir } = testProject(t);
  const inputs: Record<string, string> = {
    "session-start": JSON.stringify({ hook_event_name: "SessionStart", session_id: "s", source: "startup" }),
    "user-prompt-submit": JSON.stringify({
      hook_event_name: "UserPromptSubmit",
      session_id: "s",
      prompt: "<task-notification><task-id>b1</task-id><status>completed</status></task-notification>",
    }),
    launch: JSON.stringify({
      hook_event_name: "PostToolUse",
      session_id: "s",
      tool_name: "Bash",
      tool_input: { command: "sleep 1", run_in_background: true },
      tool_response: { backgroundTaskId: "b1" },
      tool_use_id: "toolu_1",
    }),
  };
  for (const spec of HOOK_TABLE) {
    const input = inputs[spec.name] ?? "{}";
    const env = {
      HOME: dir,
      PATH: "/usr/local/bin:/usr/bin:/bin",
      CLAUDE_PROJECT_DIR: dir,
      CLAUDE_PLUGIN_DATA: join(dir, "data"),
    };
    const started = startProcess("unshare", [...hide, "sh", LAUNCHER, spec.name], { env, cwd: dir, input });
    const run: NodeRun = await started.done;
    assert.equal(run.code, 0, `${spec.name}: ${run.stderr}`);
    assert.equal(run.stderr, "", spec.name);
    if (spec.name === "session-start") {
      const out = JSON.parse(run.stdout) as { systemMessage: string };
      assert.match(out.systemMessage, /no node >= 20 found.*pass as without the plugin/);
    } else assert.equal(run.stdout, "", spec.name);
  }
  assert.equal(existsSync(stateDir), false, "nothing recorded, nothing held");
  const cli = await startProcess("unshare", [...hide, "sh", join(REPO_ROOT, "bin", "bg-notify"), "status"], {
    env: { HOME: dir, PATH: "/usr/bin:/bin" },
    cwd: dir,
  }).done;
  assert.equal(cli.code, 127);
  assert.match(cli.stderr, /no node >= 20 found/);
});

test('"mode": "off" in the config file is off in the launcher too: nothing is queued, nothing written', async (t) => {
  const project = testProject(t);
  mkdirSync(join(project.dir, ".claude"));
  // With a byte-order mark, as some editors save it.
  writeFileSync(join(project.dir, ".claude", "bg-notify.json"), '\uFEFF{"mode":"off"}\n');
  const env = baseEnv(project.dir, {
    PATH: `${toolsDir(project.dir)}`,
    BG_NOTIFY_NODE: process.execPath,
    CLAUDE_PROJECT_DIR: project.dir,
  });
  const session = { session_id: "s-1", transcript_path: "/tmp/s-1.jsonl", cwd: project.dir };
  const launchInput = JSON.stringify({
    ...session,
    hook_event_name: "PostToolUse",
    tool_name: "Bash",
    tool_input: { command: "sleep 9", run_in_background: true },
    tool_response: { stdout: "", stderr: "", backgroundTaskId: "bk1" },
    tool_use_id: "toolu_01",
  });
  const runs = [
    await launch(
      ["session-start"],
      JSON.stringify({ ...session, hook_event_name: "SessionStart", source: "startup" }),
      env,
      project.dir,
    ),
    await launch(["launch"], launchInput, env, project.dir),
    await launch(
      ["user-prompt-submit"],
      JSON.stringify({ ...session, hook_event_name: "UserPromptSubmit", prompt: "hi", prompt_id: "p1" }),
      env,
      project.dir,
    ),
    await launch(
      ["user-prompt-submit"],
      JSON.stringify({
        ...session,
        hook_event_name: "UserPromptSubmit",
        prompt: noticePrompt("bk1"),
        prompt_id: "p2",
      }),
      env,
      project.dir,
    ),
    await launch(
      ["stop"],
      JSON.stringify({ ...session, hook_event_name: "Stop", stop_hook_active: false, background_tasks: [] }),
      env,
      project.dir,
    ),
  ];
  for (const run of runs) {
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "", "off says nothing and holds nothing");
  }
  assert.equal(existsSync(project.stateDir), false, "nothing written");
});
