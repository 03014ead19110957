// Stepping aside for a session (core/host.ts) with the command hooks: an older Claude Code, a notice of a
// form bg-notify does not know, a hold Claude Code did not honour. Nothing more is held, nothing held
// before is lost, and the person is told why once — through the output Claude Code shows.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { MIN_CLAUDE_CODE } from "../../src/core/host.ts";
import type { HookHandler } from "../../src/plugin/context.ts";
import { handleRewake } from "../../src/plugin/handlers/rewake.ts";
import { handleStop } from "../../src/plugin/handlers/session.ts";
import { handleUserPromptSubmit } from "../../src/plugin/handlers/user-prompt-submit.ts";
import { runHook } from "../../src/plugin/runtime.ts";
import { notice, type TempProject, withProject } from "./hook-harness.ts";

const S = "a51de000-0000-4000-8000-000000000001";

interface Shown {
  held: boolean;
  line?: string;
  context?: string;
  exitCode: number;
}

function harness(project: TempProject, version: string) {
  const transcript = join(project.dir, "transcript.jsonl");
  // What Claude Code writes: every entry names the version that wrote it.
  const entry = (n: number) =>
    JSON.stringify({
      type: n % 2 ? "assistant" : "user",
      sessionId: S,
      version,
      uuid: `u${n}`,
      timestamp: new Date(1_000 + n).toISOString(),
      message: { role: n % 2 ? "assistant" : "user", content: [{ type: "text", text: `entry ${n}` }] },
    });
  writeFileSync(transcript, `${[0, 1, 2, 3].map(entry).join("\n")}\n`);
  const clock = { t: 10_000 };
  const options = {
    env: { CLAUDE_PROJECT_DIR: project.dir },
    cwd: project.dir,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  const run = async (event: string, name: string, handler: HookHandler, fields: Record<string, unknown>) => {
    const raw = JSON.stringify({
      session_id: S,
      hook_event_name: event,
      cwd: project.dir,
      transcript_path: transcript,
      ...fields,
    });
    const r = await runHook(name, event, handler, raw, options);
    const out = r.stdout ? (JSON.parse(r.stdout) as Record<string, unknown>) : {};
    const context = (out["hookSpecificOutput"] as { additionalContext?: string } | undefined)
      ?.additionalContext;
    const shown: Shown = { held: out["continue"] === false, exitCode: r.exitCode };
    if (typeof out["systemMessage"] === "string") shown.line = out["systemMessage"];
    if (context !== undefined) shown.context = context;
    return shown;
  };
  return {
    clock,
    /**
     * A notice as Claude Code hands it over: both UserPromptSubmit hooks, the sync one first (the timer
     * left out to keep a held batch owed).
     */
    notice: async (prompt: string, promptId: string, withTimer = true) => {
      const fields = { prompt, prompt_id: promptId };
      const shown = await run("UserPromptSubmit", "UserPromptSubmit", handleUserPromptSubmit, fields);
      const timer = withTimer ? await run("UserPromptSubmit", "rewake", handleRewake, fields) : undefined;
      return { shown, timer };
    },
    stop: (promptId: string) =>
      run("Stop", "Stop", handleStop, { prompt_id: promptId, stop_hook_active: false, background_tasks: [] }),
    state: () => JSON.parse(readFileSync(join(project.stateDir, "state.json"), "utf8")),
  };
}

const undelivered = (state: { batches: { deliveredAt?: number }[] }) =>
  state.batches.filter((b) => b.deliveredAt === undefined).length;

test(`a Claude Code older than ${MIN_CLAUDE_CODE}: no notice is held, each starts its turn, one line says why`, () =>
  withProject(async (project) => {
    const h = harness(project, "2.1.300");
    const first = await h.notice(notice("bold00001"), "p-1");
    assert.equal(first.shown.held, false, "passes, as natively");
    assert.match(first.shown.line ?? "", /steps aside for this session: Claude Code 2\.1\.300 is older than/);
    assert.equal(first.timer?.exitCode, 0, "no wake-up of its own");
    assert.equal(first.timer?.line, undefined);
    const second = await h.notice(notice("bold00002", "failed", "job b", 3), "p-2");
    assert.equal(second.shown.held, false);
    assert.equal(second.shown.line, undefined, "said once");
    assert.equal(second.timer?.exitCode, 0);
    const s = h.state();
    assert.equal(undelivered(s), 0, "nothing owed: nothing will wake the parent");
    const vias = s.batches.map((b: { deliveredVia?: string }) => b.deliveredVia);
    assert.deepEqual(vias, ["native-aside", "native-aside"], "each recorded once, as Claude Code told it");
    assert.equal(s.hosts[S].version, "2.1.300");
  }));

test(`on ${MIN_CLAUDE_CODE} or later the session holds as usual`, () =>
  withProject(async (project) => {
    const h = harness(project, MIN_CLAUDE_CODE);
    const first = await h.notice(notice("bnew00001"), "p-1");
    assert.equal(first.shown.held, true);
    assert.equal(first.shown.line, undefined);
    assert.equal(first.timer?.exitCode, 2, "the batch's wake-up");
    assert.equal(h.state().hosts[S].aside, undefined);
  }));

test("a notice of a form bg-notify does not know: it passes, what was held rides its turn, nothing more is held", () =>
  withProject(async (project) => {
    const h = harness(project, "2.1.332");
    const held = await h.notice(notice("bshape001"), "p-1", false);
    assert.equal(held.shown.held, true);
    // `<status>` renamed: a task's notice, but not one bg-notify can read.
    const renamed = notice("bshape002").replace(/<(\/?)status>/g, "<$1state>");
    const strange = await h.notice(renamed, "p-2");
    assert.equal(strange.shown.held, false);
    assert.match(strange.shown.line ?? "", /steps aside.*bshape002's notice is of a form or kind/);
    assert.match(strange.shown.context ?? "", /task bshape001/, "the held completion rides this turn");
    const after = await h.notice(notice("bshape003"), "p-3");
    assert.equal(after.shown.held, false, "nothing more is held");
    assert.equal(after.shown.line, undefined, "said once");
    assert.equal(after.timer?.exitCode, 0);
    assert.equal(undelivered(h.state()), 0);
  }));

test("a notice whose <task-id> was renamed is not taken for a wake-up's echo: bg-notify steps aside", () =>
  withProject(async (project) => {
    const h = harness(project, "2.1.332");
    const renamed = notice("bshape004").replace(/<(\/?)task-id>/g, "<$1id>");
    const strange = await h.notice(renamed, "p-1");
    assert.equal(strange.shown.held, false);
    assert.match(strange.shown.line ?? "", /without a <task-id>/);
    assert.equal((await h.notice(notice("bshape005"), "p-2")).shown.held, false);
  }));

test("a turn Claude Code started for a held notice (the hold not honoured): Stop steps aside, once", () =>
  withProject(async (project) => {
    const h = harness(project, "2.1.332");
    // Its timer woke the parent too: told by both, the reason to stand aside from now on.
    const first = await h.notice(notice("bhold0001"), "p-1");
    assert.equal(first.shown.held, true);
    assert.equal(first.timer?.exitCode, 2);
    assert.equal((await h.stop("p-0")).line, undefined, "another prompt's turn says nothing");
    const stop = await h.stop("p-1");
    assert.match(stop.line ?? "", /steps aside.*started a turn for a notice bg-notify held/);
    const next = await h.notice(notice("bhold0002"), "p-2");
    assert.equal(next.shown.held, false);
    assert.equal(next.shown.line, undefined);
    assert.equal((await h.stop("p-2")).line, undefined);
  }));

test("an older Claude Code is learnt at the first Stop too: said there once, before any notice", () =>
  withProject(async (project) => {
    const h = harness(project, "2.0.25");
    const stop = await h.stop("p-0");
    assert.match(stop.line ?? "", /Claude Code 2\.0\.25 is older than/);
    assert.equal((await h.stop("p-1")).line, undefined);
    const first = await h.notice(notice("bold00003"), "p-2");
    assert.equal(first.shown.held, false);
    assert.equal(first.shown.line, undefined, "said once, at the Stop");
  }));
