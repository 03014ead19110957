// Hook handlers in-process over a temp state dir: launches, concurrency, subagents, Stop reconciliation,
// session start/end, modes, bad input and failing open.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { HookInput } from "../../src/claude/hook-input.ts";
import { parseTaskNotification } from "../../src/claude/task-notification.ts";
import { recordArrivedNotice } from "../../src/claude/track-notices.ts";
import { ENDED_WITHOUT_NOTICE, isActive } from "../../src/core/lifecycle.ts";
import { NOTICES_QUIET_MS, QUIET_WAIT_MAX_MS, WAKE_ANSWER_WAIT_MS } from "../../src/core/protocol.ts";
import { runningButUnlisted } from "../../src/core/running.ts";
import type { BackgroundTask } from "../../src/core/types.ts";
import { createHookContext, type HookContext, type HookResult } from "../../src/plugin/context.ts";
import { handleRewake } from "../../src/plugin/handlers/rewake.ts";
import { handleSessionEnd, handleSessionStart, handleStop } from "../../src/plugin/handlers/session.ts";
import { handleSubagentStart, handleSubagentStop } from "../../src/plugin/handlers/subagent.ts";
import { handleLaunch, handlePostToolUse, handlePreToolUse } from "../../src/plugin/handlers/tool-use.ts";
import { handleUserPromptSubmit } from "../../src/plugin/handlers/user-prompt-submit.ts";
import { runHook } from "../../src/plugin/runtime.ts";
import {
  FIXTURES,
  notice,
  type TempProject,
  tempProject,
  transcriptNotices,
  withProject,
} from "./hook-harness.ts";

const S = "5e55105e-0000-4000-8000-000000000001";

/** `onSleep` runs at each of the handler's waits, on the virtual clock: what happens meanwhile. */
function context(
  project: TempProject,
  clock: { t: number },
  env: NodeJS.ProcessEnv = {},
  onSleep?: () => unknown,
): HookContext {
  return createHookContext({
    env: { CLAUDE_PROJECT_DIR: project.dir, ...env },
    cwd: project.dir,
    now: () => clock.t,
    sleep: async (ms) => {
      clock.t += ms;
      await onSleep?.();
    },
  });
}

function input(event: string, fields: Record<string, unknown> = {}): HookInput {
  return { session_id: S, hook_event_name: event, cwd: "/tmp", ...fields } as HookInput;
}

function agentLaunch(id: string, model = "claude-opus-5-5"): HookInput {
  return input("PostToolUse", {
    tool_name: "Agent",
    tool_input: {
      description: `agent ${id}`,
      prompt: "x",
      subagent_type: "general-purpose",
      run_in_background: true,
    },
    tool_response: {
      status: "async_launched",
      agentId: id,
      description: `agent ${id}`,
      resolvedModel: model,
      outputFile: `/tmp/${id}.output`,
    },
    tool_use_id: `toolu_${id}`,
  });
}

function state(project: TempProject) {
  return JSON.parse(readFileSync(join(project.stateDir, "state.json"), "utf8"));
}

const generalAgentStart = (agentId: string) =>
  input("SubagentStart", { agent_id: agentId, agent_type: "general-purpose" });

/** A background agent as Claude Code starts one: its SubagentStart, then the Agent call's PostToolUse. */
async function startBackgroundAgent(agentId: string, ctx: HookContext): Promise<void> {
  await handleSubagentStart(generalAgentStart(agentId), ctx);
  await handlePostToolUse(agentLaunch(agentId), ctx);
}

test("PostToolUse registers background shells and agents as running", () =>
  withProject(async (project) => {
    const ctx = context(project, { t: 1000 });
    await handlePostToolUse(
      input("PostToolUse", {
        tool_name: "Bash",
        tool_input: { command: "sleep 1; echo a", description: "job a", run_in_background: true },
        tool_response: { stdout: "", stderr: "", interrupted: false, backgroundTaskId: "bk0dces6s" },
      }),
      ctx,
    );
    await handlePostToolUse(agentLaunch("a0001"), ctx);
    await handlePostToolUse(
      input("PostToolUse", {
        tool_name: "Bash",
        tool_input: { command: "ls" },
        tool_response: { stdout: "x" },
      }),
      ctx,
    );
    const tasks = state(project).tasks;
    assert.deepEqual(Object.keys(tasks).sort(), [`${S}/a0001`, `${S}/bk0dces6s`]);
    assert.equal(tasks[`${S}/bk0dces6s`].status, "running");
    assert.equal(tasks[`${S}/bk0dces6s`].command, "sleep 1; echo a");
    assert.equal(tasks[`${S}/a0001`].model, "claude-opus-5-5");
    assert.equal(tasks[`${S}/a0001`].concurrencyKey, "opus");
    assert.equal(tasks[`${S}/a0001`].outputFile, "/tmp/a0001.output");
  }));

test("a launch's start is the tool call's start (duration_ms before the hook), its turn the prompt_id", () =>
  withProject(async (project) => {
    const ctx = context(project, { t: 10_000 });
    await handlePostToolUse(
      input("PostToolUse", {
        prompt_id: "turn-7",
        tool_name: "Bash",
        tool_input: { command: "sleep 4", run_in_background: true },
        tool_response: { backgroundTaskId: "bstart01" },
        duration_ms: 380,
      }),
      ctx,
    );
    const task = state(project).tasks[`${S}/bstart01`];
    assert.equal(task.startedAt, 10_000 - 380);
    assert.equal(task.turnId, "turn-7");
  }));

test("PreToolUse denies a background agent over its tier's limit, naming the running ones", () =>
  withProject(async (project) => {
    const ctx = context(project, { t: 1000 }, { BG_NOTIFY_CONCURRENCY: "enforce" });
    const launch = input("PreToolUse", {
      tool_name: "Agent",
      tool_input: { description: "third", prompt: "p", model: "opus" },
    });
    assert.deepEqual(await handlePreToolUse(launch, ctx), {});
    await handlePostToolUse(agentLaunch("aopus1"), ctx);
    await handlePostToolUse(agentLaunch("aopus2"), ctx);
    const denied = await handlePreToolUse(launch, ctx);
    const out = denied.stdout?.["hookSpecificOutput"] as Record<string, string>;
    assert.equal(out["permissionDecision"], "deny");
    assert.match(out["permissionDecisionReason"] ?? "", /aopus1.*aopus2/);
    assert.match(out["permissionDecisionReason"] ?? "", /limit 2/);
    // Another tier still has room; a foreground agent is never limited.
    assert.deepEqual(
      await handlePreToolUse(
        input("PreToolUse", { tool_name: "Agent", tool_input: { model: "haiku" } }),
        ctx,
      ),
      {},
    );
    assert.deepEqual(
      await handlePreToolUse(
        input("PreToolUse", { tool_name: "Agent", tool_input: { model: "opus", run_in_background: false } }),
        ctx,
      ),
      {},
    );
    // A model-less launch takes the tier of the parent's latest agent.
    assert.equal(
      (await handlePreToolUse(input("PreToolUse", { tool_name: "Agent", tool_input: {} }), ctx)).stdout !==
        undefined,
      true,
    );
    // 0 = unlimited.
    mkdirSync(join(project.dir, ".claude"), { recursive: true });
    writeFileSync(
      join(project.dir, ".claude", "bg-notify.json"),
      JSON.stringify({ concurrency: "enforce", modelConcurrency: { opus: 0 } }),
    );
    assert.deepEqual(await handlePreToolUse(launch, context(project, { t: 1000 })), {});
  }));

function agentPre(n: number, model = "opus"): HookInput {
  return input("PreToolUse", {
    tool_name: "Agent",
    tool_input: { description: `agent ${n}`, prompt: "p", model, run_in_background: true },
    tool_use_id: `toolu_par${n}`,
  });
}

const denied = (r: { stdout?: Record<string, unknown> }) =>
  (r.stdout?.["hookSpecificOutput"] as Record<string, string> | undefined)?.["permissionDecision"] === "deny";

test("concurrency is off by default: four Opus agents at once all start, whatever runs", () =>
  withProject(async (project) => {
    const ctx = context(project, { t: 1000 });
    await handlePostToolUse(agentLaunch("aopus1"), ctx);
    await handlePostToolUse(agentLaunch("aopus2"), ctx);
    for (let n = 1; n <= 4; n++) assert.deepEqual(await handlePreToolUse(agentPre(n), ctx), {});
  }));

test("enforce: four agents launched in one message, limit 2: exactly two pass; a slot comes back", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const env = { BG_NOTIFY_CONCURRENCY: "enforce" };
    // Four hook contexts at once, as four PreToolUse processes of one message.
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => handlePreToolUse(agentPre(n), context(project, clock, env))),
    );
    assert.equal(results.filter((r) => !denied(r)).length, 2);
    const reason = results.find(denied)?.stdout?.["hookSpecificOutput"] as Record<string, string>;
    assert.match(
      reason["permissionDecisionReason"] ?? "",
      /2 opus background tasks are already running \(limit 2\): toolu_par\d \(agent \d\), toolu_par\d/,
    );
    // A slot is kept apart from the tasks: no notice, count or listing can take it for one.
    const reserved = state(project) as { tasks: object; slots?: Record<string, { tier: string }> };
    assert.deepEqual(Object.keys(reserved.tasks), []);
    assert.deepEqual(
      Object.values(reserved.slots ?? {}).map((s) => s.tier),
      ["opus", "opus"],
    );
    const passed = [1, 2, 3, 4].filter((_, i) => !denied(results[i] as HookResult));
    const ctx = context(project, clock, env);
    // The first passed call launches (its slot becomes the agent), the second fails (its slot is freed).
    const first = agentLaunch("aopusA");
    (first as Record<string, unknown>)["tool_use_id"] = `toolu_par${passed[0]}`;
    await handlePostToolUse(first, ctx);
    await handlePostToolUse(
      input("PostToolUse", {
        tool_name: "Agent",
        tool_input: {},
        tool_response: { status: "error" },
        tool_use_id: `toolu_par${passed[1]}`,
      }),
      ctx,
    );
    const kinds = Object.values(state(project).tasks).map((t) => (t as { kind: string }).kind);
    assert.deepEqual(kinds, ["agent"]);
    assert.equal((state(project) as { slots?: object }).slots, undefined, "both slots went back");
    assert.equal(denied(await handlePreToolUse(agentPre(5), ctx)), false, "one opus runs: room for one more");
    assert.equal(denied(await handlePreToolUse(agentPre(6), ctx)), true);
    // A slot whose call never reached PostToolUse (denied elsewhere) lapses after a minute.
    clock.t += 61_000;
    assert.equal(denied(await handlePreToolUse(agentPre(7), ctx)), false);
  }));

test("warn: over the limit the agent starts, and the person is told", () =>
  withProject(async (project) => {
    const ctx = context(project, { t: 1000 }, { BG_NOTIFY_CONCURRENCY: "warn" });
    await handlePostToolUse(agentLaunch("aopus1"), ctx);
    await handlePostToolUse(agentLaunch("aopus2"), ctx);
    const result = await handlePreToolUse(agentPre(3), ctx);
    assert.equal(denied(result), false);
    assert.match(
      String(result.stdout?.["systemMessage"]),
      /2 opus background tasks are already running.*warn/,
    );
  }));

test("the parent reading a held completion's output file is told it: no wake-up for it, nothing lost", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    const launch = (id: string) =>
      input("PostToolUse", {
        tool_name: "Bash",
        tool_input: { command: `sleep 1; echo ${id}`, description: `job ${id}`, run_in_background: true },
        tool_response: { stdout: "", backgroundTaskId: id },
      });
    await handlePostToolUse(launch("bread0001"), ctx);
    await handlePostToolUse(launch("bread0002"), ctx);
    const output = (id: string) => `/tmp/claude/tasks/${id}.output`;
    const notify = (id: string) =>
      input("UserPromptSubmit", {
        prompt: `<task-notification>\n<task-id>${id}</task-id>\n<output-file>${output(id)}</output-file>\n<status>completed</status>\n<summary>Background command "job ${id}" completed (exit code 0)</summary>\n</task-notification>`,
      });
    await handleUserPromptSubmit(notify("bread0001"), ctx);
    await handleUserPromptSubmit(notify("bread0002"), ctx);
    const read = (path: string) =>
      handlePostToolUse(
        input("PostToolUse", { tool_name: "Read", tool_input: { file_path: path }, tool_response: {} }),
        ctx,
      );
    await read("/tmp/elsewhere.txt");
    assert.equal(
      state(project).batches.filter((b: { deliveredAt?: number }) => b.deliveredAt === undefined).length,
      1,
    );
    await read(output("bread0001"));
    const batches = state(project).batches as { deliveredVia?: string; items: { task: { id: string } }[] }[];
    assert.deepEqual(
      batches.map((b) => [b.deliveredVia ?? "owed", b.items.map((i) => i.task.id).join()]).sort(),
      [
        ["owed", "bread0002"],
        ["read-by-parent", "bread0001"],
      ],
    );
    await read(output("bread0002"));
    // Nothing left untold: the rewake that timed the batch finds nothing to wake the parent for.
    clock.t += 5000;
    const rewake = await handleRewake(notify("bread0002"), ctx);
    assert.equal(rewake.exitCode, undefined);
    assert.equal(
      (state(project).batches as { deliveredAt?: number }[]).every((b) => b.deliveredAt !== undefined),
      true,
    );
  }));

test("SubagentStop records a background agent's result; its notice then collapses into it", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    await startBackgroundAgent("abg01", ctx);
    await handleSubagentStart(input("SubagentStart", { agent_id: "afg01", agent_type: "Explore" }), ctx);
    // Foreground: not listed in background_tasks, never queued.
    await handleSubagentStop(
      input("SubagentStop", {
        agent_id: "afg01",
        agent_type: "Explore",
        last_assistant_message: "fg",
        background_tasks: [],
      }),
      ctx,
    );
    // Spurious: no type, no transcript.
    await handleSubagentStop(
      input("SubagentStop", {
        agent_id: "abg01",
        agent_type: "",
        agent_transcript_path: "/nonexistent/x.jsonl",
        last_assistant_message: "bogus",
      }),
      ctx,
    );
    assert.equal(state(project).batches.length, 0);
    clock.t = 2000;
    await handleSubagentStop(
      input("SubagentStop", {
        agent_id: "abg01",
        agent_type: "general-purpose",
        last_assistant_message: "Result: 3 files",
        background_tasks: [{ id: "abg01", type: "subagent", status: "running" }],
      }),
      ctx,
    );
    const prompt = notice("abg01").replace(
      "</task-notification>",
      "<result>Result: 3 files</result>\n<usage><duration_ms>900</duration_ms></usage>\n</task-notification>",
    );
    const blocked = await handleUserPromptSubmit(input("UserPromptSubmit", { prompt }), ctx);
    assert.equal(blocked.stdout?.["continue"], false);
    const s = state(project);
    assert.equal(s.batches.length, 1);
    assert.equal(s.batches[0].items.length, 1, "notice and SubagentStop are one completion");
    assert.equal(s.batches[0].items[0].task.result, "Result: 3 files");
    assert.equal(s.batches[0].items[0].task.usage.durationMs, 900);
    assert.equal(s.tasks[`${S}/afg01`], undefined, "foreground agent forgotten");
  }));

test("a resumed agent's next completion is a new one", () =>
  withProject(async (project) => {
    const ctx = context(project, { t: 1000 });
    await handlePostToolUse(agentLaunch("ares1"), ctx);
    await handleUserPromptSubmit(input("UserPromptSubmit", { prompt: notice("ares1") }), ctx);
    await handleSubagentStart(generalAgentStart("ares1"), ctx);
    await handleUserPromptSubmit(input("UserPromptSubmit", { prompt: notice("ares1") }), ctx);
    const items = state(project).batches.flatMap((b: { items: unknown[] }) => b.items);
    assert.equal(items.length, 2);
  }));

test("Stop reconciles background_tasks: a task gone without a notice is recorded as stopped after the grace period, never as unknown", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    await handlePostToolUse(
      input("PostToolUse", {
        tool_name: "Bash",
        tool_input: { command: "sleep 9", description: "slow" },
        tool_response: { backgroundTaskId: "bvanish1" },
      }),
      ctx,
    );
    const stop = (list: unknown[], active = false) =>
      handleStop(
        input("Stop", { stop_hook_active: active, background_tasks: list }),
        context(project, clock),
      );
    assert.deepEqual(
      await stop([
        { id: "bvanish1", type: "shell", status: "running" },
        { id: "bother01", type: "shell", status: "running", description: "seen only at Stop" },
        { id: "bmonitor", type: "monitor", status: "running", description: "a monitor" },
      ]),
      {},
    );
    assert.equal(state(project).tasks[`${S}/bother01`].status, "running", "unknown listed task registered");
    assert.equal(state(project).tasks[`${S}/bmonitor`], undefined, "monitors are not tracked");
    clock.t = 2000;
    await stop([{ id: "bother01", type: "shell", status: "running" }]);
    assert.equal(state(project).tasks[`${S}/bvanish1`].vanishedAt, 2000);
    clock.t = 2000 + 10_001;
    assert.deepEqual(await stop([{ id: "bother01", type: "shell", status: "running" }]), {});
    const gone = state(project).tasks[`${S}/bvanish1`];
    assert.equal(gone.status, "cancelled");
    assert.equal(gone.originalStatus, "stopped");
    const undelivered = state(project).batches.filter(
      (b: { deliveredAt?: number }) => b.deliveredAt === undefined,
    );
    assert.equal(undelivered.length, 0, "nothing held: Claude Code tells the model of a stop itself");
    // A completion notice that still comes later is a new completion, and is told.
    await handleUserPromptSubmit(
      input("UserPromptSubmit", { prompt: notice("bvanish1") }),
      context(project, clock),
    );
    const owed = state(project).batches.filter((b: { deliveredAt?: number }) => b.deliveredAt === undefined);
    assert.equal(owed.length, 1);
  }));

test("SessionStart delivers what is still owed, due or not; SessionEnd keeps it and takes no lock", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    await handleUserPromptSubmit(
      input("UserPromptSubmit", { prompt: notice("bowed0001") }),
      context(project, clock),
    );
    mkdirSync(join(project.stateDir, "state.lock"));
    const started = Date.now();
    assert.deepEqual(
      await handleSessionEnd(input("SessionEnd", { reason: "other" }), context(project, clock)),
      {},
    );
    assert.ok(Date.now() - started < 1000, "SessionEnd does not wait on a held lock");
    assert.equal(state(project).batches[0].deliveredAt, undefined, "kept for a resume");
    mkdirSync(join(project.stateDir, "x"), { recursive: true });
    (await import("node:fs")).rmdirSync(join(project.stateDir, "state.lock"));
    const out = await handleSessionStart(
      input("SessionStart", { source: "resume" }),
      context(project, clock),
    );
    const specific = out.stdout?.["hookSpecificOutput"] as Record<string, string>;
    assert.equal(specific["hookEventName"], "SessionStart");
    assert.match(specific["additionalContext"] ?? "", /task bowed0001/);
    // Context handed over is only sent until the transcript shows it: without that, it is told again.
    const transcript = join(project.dir, "transcript.jsonl");
    const again = await handleSessionStart(
      input("SessionStart", { source: "resume", transcript_path: transcript }),
      context(project, clock),
    );
    const retold = (again.stdout!["hookSpecificOutput"] as Record<string, string>)["additionalContext"] ?? "";
    assert.match(retold, /task bowed0001/, "not in the transcript: told again");
    writeFileSync(
      transcript,
      `${JSON.stringify({ type: "attachment", attachment: { type: "hook_additional_context", content: [retold] } })}\n`,
    );
    assert.deepEqual(
      await handleSessionStart(
        input("SessionStart", { source: "resume", transcript_path: transcript }),
        context(project, clock),
      ),
      {},
      "in the transcript: received, never told twice",
    );
  }));

test("notices held while a wake-up's request was being made are told by it: Stop settles them, nothing re-tells them", () =>
  withProject(async (project) => {
    // A real transcript at the wake-up turn's Stop: two notices were drained into its request, answered.
    const transcript = join(FIXTURES, "transcripts", "wake-up-drain.replied.jsonl");
    const drained = transcriptNotices(transcript).filter((n) => n.afterEcho);
    const clock = { t: 1000 };
    for (const n of [...drained, { taskId: "blater001", promptId: "00000000-0000-4000-8000-0000000000aa" }]) {
      const held = await handleUserPromptSubmit(
        input("UserPromptSubmit", { prompt: notice(n.taskId), prompt_id: n.promptId }),
        context(project, clock),
      );
      assert.equal(held.stdout?.["continue"], false, `${n.taskId} is held`);
    }
    const stop = await handleStop(
      input("Stop", { transcript_path: transcript, stop_hook_active: false }),
      context(project, clock),
    );
    assert.deepEqual(stop, {}, "nothing is due, and the drained two need no telling");
    const batches = state(project).batches as {
      items: { task: { id: string } }[];
      deliveredAt?: number;
      deliveredVia?: string;
      toldBy?: string;
    }[];
    const seen = batches.filter((b) => b.deliveredVia === "native-seen");
    assert.deepEqual(
      seen.flatMap((b) => b.items.map((i) => i.task.id)).sort(),
      drained.map((n) => n.taskId).sort(),
    );
    assert.ok(seen.every((b) => b.toldBy === "claude-code" && b.deliveredAt === 1000));
    const owed = batches.filter((b) => b.deliveredAt === undefined);
    assert.deepEqual(
      owed.flatMap((b) => b.items.map((i) => i.task.id)),
      ["blater001"],
      "a notice the transcript does not show answered stays held",
    );
    // Its wake-up tells the one left, and only it.
    clock.t += 5000;
    const woke = await handleRewake(
      input("UserPromptSubmit", {
        prompt: notice("blater001"),
        prompt_id: "00000000-0000-4000-8000-0000000000aa",
      }),
      context(project, clock),
    );
    assert.equal(woke.exitCode, 2);
    assert.match(woke.stderr ?? "", /task blater001/);
    for (const n of drained) assert.doesNotMatch(woke.stderr ?? "", new RegExp(n.taskId));
    // Without a Stop (or before the answer was written), the rewake looks when their batch falls due.
    const due = tempProject();
    try {
      for (const n of [...drained, { taskId: "blater002", promptId: "00000000-0000-4000-8000-0000000000bb" }])
        await handleUserPromptSubmit(
          input("UserPromptSubmit", { prompt: notice(n.taskId), prompt_id: n.promptId }),
          context(due, clock),
        );
      const rewoke = await handleRewake(
        input("UserPromptSubmit", {
          prompt: notice("blater002"),
          prompt_id: "00000000-0000-4000-8000-0000000000bb",
          transcript_path: transcript,
        }),
        context(due, clock),
      );
      assert.equal(rewoke.exitCode, 2);
      assert.match(rewoke.stderr ?? "", /task blater002/);
      for (const n of drained) assert.doesNotMatch(rewoke.stderr ?? "", new RegExp(n.taskId));
    } finally {
      due.cleanup();
    }
    /** The first drained notice, held again in a project of its own. */
    const holdFirstIn = (project: TempProject) =>
      handleUserPromptSubmit(
        input("UserPromptSubmit", { prompt: notice(drained[0]!.taskId), prompt_id: drained[0]!.promptId }),
        context(project, clock),
      );
    // A lock another process holds: the settle is skipped, and the Stop's own work goes on.
    const locked = tempProject();
    try {
      await holdFirstIn(locked);
      mkdirSync(join(locked.stateDir, "state.lock"));
      const ctx = createHookContext({
        env: { CLAUDE_PROJECT_DIR: locked.dir },
        cwd: locked.dir,
        now: () => clock.t,
        lockRetries: 0,
      });
      assert.deepEqual(await handleStop(input("Stop", { transcript_path: transcript }), ctx), {});
      assert.equal(state(locked).batches[0].deliveredAt, undefined, "still held, for its batch");
    } finally {
      locked.cleanup();
    }
    // An unreadable transcript changes nothing: held notices wait for their batch as before.
    const other = tempProject();
    try {
      await holdFirstIn(other);
      await handleStop(input("Stop", { transcript_path: "/nonexistent/t.jsonl" }), context(other, clock));
      assert.equal(state(other).batches[0].deliveredAt, undefined);
    } finally {
      other.cleanup();
    }
  }));

test("mode off: notices pass untouched and nothing is recorded", () =>
  withProject(async (project) => {
    const ctx = context(project, { t: 1000 }, { BG_NOTIFY_MODE: "off" });
    assert.deepEqual(
      await handleUserPromptSubmit(input("UserPromptSubmit", { prompt: notice("boff00001") }), ctx),
      {},
    );
    assert.deepEqual(await handleRewake(input("UserPromptSubmit", { prompt: notice("boff00001") }), ctx), {});
    assert.throws(() => state(project));
  }));

test("mode summarize: notices pass, and the combined summary rides on the last one once nothing runs", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock, { BG_NOTIFY_MODE: "summarize" });
    for (const id of ["bsum00001", "bsum00002"]) {
      await handlePostToolUse(
        input("PostToolUse", {
          tool_name: "Bash",
          tool_input: { command: "x", description: id },
          tool_response: { backgroundTaskId: id },
        }),
        ctx,
      );
    }
    const first = await handleUserPromptSubmit(
      input("UserPromptSubmit", { prompt: notice("bsum00001") }),
      ctx,
    );
    assert.deepEqual(first, {}, "not blocked, nothing due yet while a sibling runs");
    assert.deepEqual(
      await handleRewake(input("UserPromptSubmit", { prompt: notice("bsum00001") }), ctx),
      {},
      "no rewake",
    );
    clock.t += 100;
    const last = await handleUserPromptSubmit(
      input("UserPromptSubmit", { prompt: notice("bsum00002") }),
      ctx,
    );
    assert.equal(last.stdout?.["continue"], undefined);
    const text =
      (last.stdout?.["hookSpecificOutput"] as Record<string, string> | undefined)?.["additionalContext"] ??
      "";
    assert.match(text, /2 background tasks finished: 2 completed · none still running/);
  }));

test("the rewake waits for the window, then delivers once; a second rewake finds nothing", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    const prompt = input("UserPromptSubmit", { prompt: notice("bwin00001") });
    await handleUserPromptSubmit(prompt, ctx);
    const woke = await handleRewake(prompt, ctx);
    assert.equal(woke.exitCode, 2);
    assert.ok(clock.t >= 2000, "slept until the window closed");
    assert.match(woke.stderr ?? "", /task bwin00001/);
    assert.deepEqual(await handleRewake(prompt, ctx), {});
    assert.deepEqual(
      await handleRewake(input("UserPromptSubmit", { prompt: "hello" }), ctx),
      {},
      "never for a typed prompt",
    );
  }));

test("bad input: one stderr line, exit 0, empty stdout, nothing written", () =>
  withProject(async (project) => {
    const env = { CLAUDE_PROJECT_DIR: project.dir };
    for (const raw of [
      "not json",
      "[]",
      JSON.stringify({ session_id: "../../etc", hook_event_name: "UserPromptSubmit", prompt: notice("bx") }),
      JSON.stringify({ hook_event_name: "Stop" }),
    ]) {
      const run = await runHook("UserPromptSubmit", "UserPromptSubmit", handleUserPromptSubmit, raw, { env });
      assert.equal(run.exitCode, 0);
      assert.equal(run.stdout, "");
      assert.equal(run.stderr.split("\n").length, 1);
      assert.match(run.stderr, /bad input/);
    }
    assert.throws(() => state(project));
  }));

test("fail open: a notice whose record cannot be committed is not blocked", () =>
  withProject(async (project) => {
    const ctx = context(project, { t: 1000 });
    ctx.store.transact = async () => {
      throw Object.assign(new Error("disk full"), { code: "ENOSPC" });
    };
    const out = await handleUserPromptSubmit(input("UserPromptSubmit", { prompt: notice("bfail0001") }), ctx);
    assert.equal(out.stdout, undefined);
    assert.match(out.stderr ?? "", /passes through/);
  }));

test("a notice inside a running turn passes (blocking would erase it), is told once, and brings what is owed", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    const launch = (id: string) =>
      handlePostToolUse(
        input("PostToolUse", {
          prompt_id: "turn-1",
          tool_name: "Bash",
          tool_input: { command: "x", description: id, run_in_background: true },
          tool_response: { backgroundTaskId: id },
        }),
        ctx,
      );
    await launch("bturn0001");
    await launch("bturn0002");
    await launch("bturn0003");
    // An idle notice from an earlier turn is owed.
    const idle = input("UserPromptSubmit", { prompt_id: "turn-0", prompt: notice("bturn0003") });
    assert.equal((await handleUserPromptSubmit(idle, ctx)).stdout?.["continue"], false);
    // The rewake that fired with the in-turn notice stands down at once.
    const inTurn = input("UserPromptSubmit", { prompt_id: "turn-1", prompt: notice("bturn0001") });
    assert.deepEqual(await handleRewake(inTurn, ctx), {});
    const out = await handleUserPromptSubmit(inTurn, ctx);
    assert.equal(out.stdout?.["continue"], undefined, "never held");
    const text =
      (out.stdout?.["hookSpecificOutput"] as Record<string, string> | undefined)?.["additionalContext"] ?? "";
    assert.match(text, /task bturn0003/, "the owed batch rides along");
    assert.doesNotMatch(text, /task bturn0001/, "the notice itself is not repeated");
    const s = state(project);
    const told = s.batches.filter((b: { deliveredVia?: string }) => b.deliveredVia === "native-in-turn");
    assert.equal(told.length, 1);
    assert.equal(s.batches.filter((b: { deliveredAt?: number }) => b.deliveredAt === undefined).length, 0);
    // A repeat of it is a duplicate, never re-queued.
    await handleUserPromptSubmit(inTurn, ctx);
    assert.equal(state(project).batches.length, s.batches.length);
    // A typed prompt starts a new turn while a task still runs; its notices then count as in-turn.
    await handleUserPromptSubmit(input("UserPromptSubmit", { prompt_id: "turn-2", prompt: "go on" }), ctx);
    assert.equal(state(project).sessions[S].promptId, "turn-2");
  }));

test("the async Bash hook registers a background shell and never answers, even with a batch owed", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    const bash = (id: string, background: boolean) =>
      input("PostToolUse", {
        tool_name: "Bash",
        prompt_id: "p-1",
        tool_input: { command: `echo ${id}`, ...(background ? { run_in_background: true } : {}) },
        tool_response: { stdout: "", ...(background ? { backgroundTaskId: id } : {}) },
        tool_use_id: `toolu_${id}`,
        duration_ms: 30,
      });
    assert.deepEqual(await handleLaunch(bash("bfg00001", false), ctx), {});
    await handleUserPromptSubmit(input("UserPromptSubmit", { prompt: notice("bdone001") }), ctx);
    clock.t += 60_000;
    assert.deepEqual(await handleLaunch(bash("blaunch1", true), ctx), {}, "nothing delivered from here");
    const tasks = state(project).tasks as Record<string, { id: string; status: string; startedAt: number }>;
    const launched = Object.values(tasks).find((t) => t.id === "blaunch1");
    assert.equal(launched?.status, "running");
    assert.equal(launched?.startedAt, clock.t - 30);
    assert.equal(
      Object.values(tasks).find((t) => t.id === "bfg00001"),
      undefined,
    );
    assert.equal(state(project).sessions[S].promptId, "p-1");
    const batches = state(project).batches as { deliveredAt?: number }[];
    assert.equal(batches.length, 1);
    assert.equal(batches[0]?.deliveredAt, undefined, "still owed: the rewake or the next prompt tells it");
  }));

const pid = (i: number) => `00000000-0000-4000-8000-0000000001${String(i).padStart(2, "0")}`;
const ECHO_PROMPT = "00000000-0000-4000-8000-0000000001ee";
const holdNotice = (project: TempProject, clock: { t: number }, i: number) =>
  handleUserPromptSubmit(
    input("UserPromptSubmit", { prompt: notice(`bwait${i}`), prompt_id: pid(i) }),
    context(project, clock),
  );
/** Five notices held and woken for (the maximum batch): the rewake's wake-up and its text. */
async function firstWakeUp(project: TempProject, clock: { t: number }): Promise<string> {
  for (let i = 0; i < 5; i++) await holdNotice(project, clock, i);
  const first = await handleRewake(
    input("UserPromptSubmit", { prompt: notice("bwait4"), prompt_id: pid(4) }),
    context(project, clock),
  );
  assert.equal(first.exitCode, 2, "the first five are due at once (max batch size)");
  return first.stderr ?? "";
}
const echoPrompt = (wakeUp: string) =>
  input("UserPromptSubmit", {
    prompt: `<task-notification>\n<summary>Background tasks finished (bg-notify)</summary>\n</task-notification>\n<system-reminder>\n${wakeUp}\n</system-reminder>`,
    prompt_id: ECHO_PROMPT,
  });

test("a notice that arrives while a wake-up is on its way passes (held, it could cost that wake-up) and is told once", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    await firstWakeUp(project, clock);
    clock.t += 100;
    const passed = await holdNotice(project, clock, 5);
    assert.notEqual(passed.stdout?.["continue"], false, "not held: it may lead the echo's group");
    const rewake = await handleRewake(
      input("UserPromptSubmit", { prompt: notice("bwait5"), prompt_id: pid(5) }),
      context(project, clock),
    );
    assert.deepEqual(rewake, {}, "its own rewake owes nothing");
    const told = (
      state(project).batches as { deliveredVia?: string; items: { task: { id: string } }[] }[]
    ).filter((b) => b.items.some((i) => i.task.id === "bwait5"));
    assert.deepEqual(
      told.map((b) => b.deliveredVia),
      ["native-pending"],
      "recorded as told by Claude Code, in no batch",
    );
    // Its rewake first: it leaves the decision to the sync hook, then follows it.
    let synced: HookResult | undefined;
    const first = await handleRewake(
      input("UserPromptSubmit", { prompt: notice("bwait7"), prompt_id: pid(7) }),
      context(project, clock, {}, async () => {
        synced ??= await holdNotice(project, clock, 7);
      }),
    );
    assert.deepEqual(first, {});
    assert.ok(synced && synced.stdout?.["continue"] !== false, "the sync hook let it through");
    // The echo starts the wake-up's turn: from then on a notice of its own prompt is held again.
    assert.deepEqual(await handleUserPromptSubmit(echoPrompt("wake"), context(project, clock)), {});
    clock.t += 100;
    const held = await holdNotice(project, clock, 6);
    assert.equal(held.stdout?.["continue"], false);
    // An echo without a prompt_id (older releases, replays) ends it too.
    await withProject(async (other) => {
      const c = { t: 1000 };
      const wakeUp = await firstWakeUp(other, c);
      c.t += 50;
      const { prompt_id: _, ...unnamed } = echoPrompt(wakeUp) as HookInput & { prompt_id?: string };
      await handleUserPromptSubmit(unnamed as HookInput, context(other, c));
      c.t += 50;
      assert.equal((await holdNotice(other, c, 5)).stdout?.["continue"], false);
    });
    // A wake-up whose echo never came stops counting as on its way.
    await withProject(async (other) => {
      const c = { t: 1000 };
      await firstWakeUp(other, c);
      c.t += WAKE_ANSWER_WAIT_MS + 1;
      assert.equal((await holdNotice(other, c, 5)).stdout?.["continue"], false);
    });
  }));

test("a burst of notices let through while a wake-up is on its way keeps that wake-up on record: every one passes", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    await firstWakeUp(project, clock);
    // More natively told notices than the state keeps delivered batches of (the ten-shell burst in the
    // interactive UI): the wake-up still unacknowledged must outlast them, or the next notice is held and
    // can lead the echo's group, which then asks the model nothing.
    for (let i = 5; i < 13; i++) {
      clock.t += 150;
      const passed = await holdNotice(project, clock, i);
      assert.notEqual(passed.stdout?.["continue"], false, `notice ${i} passes`);
    }
    const sent = (state(project).batches as { deliveredVia?: string; ackedAt?: number }[]).filter(
      (b) => b.deliveredVia === "rewake" && b.ackedAt === undefined,
    );
    assert.equal(sent.length, 1, "the wake-up is still on record as sent, not yet seen received");
  }));

test("while tasks still run, a due batch is claimed in a pause of the notices, not in the middle of a burst", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const launch = (id: string) =>
      handleLaunch(
        input("PostToolUse", {
          tool_name: "Bash",
          prompt_id: "p-1",
          tool_input: { command: `sleep 1; echo ${id}`, run_in_background: true },
          tool_response: { stdout: "", backgroundTaskId: id },
          tool_use_id: `toolu_${id}`,
        }),
        context(project, clock),
      );
    for (let i = 0; i < 9; i++) await launch(`bwait${i}`);
    for (let i = 0; i < 5; i++) {
      clock.t += 50;
      await holdNotice(project, clock, i);
    }
    // Full at five: due at once. Claude Code is still screening the burst's next notice, so the claim
    // waits; that notice lands meanwhile and joins the batch the wake-up tells.
    // Claude Code screens two more, 200 ms apart, while the timer sleeps: each is recorded at its time.
    const arrivals = [clock.t + 200, clock.t + 400];
    let lastAt = clock.t;
    let more = 5;
    const wake = await handleRewake(
      input("UserPromptSubmit", { prompt: notice("bwait4"), prompt_id: pid(4) }),
      context(project, clock, {}, async () => {
        const woke = clock.t;
        for (const at of arrivals.filter((a) => a > lastAt && a <= woke)) {
          clock.t = at;
          await holdNotice(project, clock, more++);
          lastAt = at;
        }
        clock.t = woke;
      }),
    );
    assert.equal(wake.exitCode, 2);
    assert.ok(clock.t >= lastAt + NOTICES_QUIET_MS, `claimed ${clock.t - lastAt} ms after the last notice`);
    for (const id of ["bwait0", "bwait5", "bwait6"]) assert.match(wake.stderr ?? "", new RegExp(id));
    // A stream that never pauses is claimed QUIET_WAIT_MAX_MS past due at the latest.
    await withProject(async (other) => {
      const c = { t: 1000 };
      for (let i = 0; i < 40; i++)
        await handleLaunch(
          input("PostToolUse", {
            tool_name: "Bash",
            tool_input: { command: "sleep 1", run_in_background: true },
            tool_response: { stdout: "", backgroundTaskId: `bwait${i}` },
            tool_use_id: `toolu_${i}`,
          }),
          context(other, c),
        );
      for (let i = 0; i < 5; i++) await holdNotice(other, c, i);
      const dueAt = c.t;
      let next = 5;
      const woke = await handleRewake(
        input("UserPromptSubmit", { prompt: notice("bwait4"), prompt_id: pid(4) }),
        context(other, c, {}, async () => {
          if (next < 40) await holdNotice(other, c, next++);
        }),
      );
      assert.equal(woke.exitCode, 2);
      assert.ok(c.t - dueAt <= QUIET_WAIT_MAX_MS + NOTICES_QUIET_MS, `claimed ${c.t - dueAt} ms past due`);
    });
  }));

test("a batch due while an earlier wake-up's request is out waits for its answer: the notices that rode on it are not told again", async () => {
  /** The wake-up's echo through UserPromptSubmit, five notices held after it, in a transcript not answered yet. */
  const setup = async (project: TempProject, clock: { t: number }) => {
    const wakeUp = await firstWakeUp(project, clock);
    clock.t += 50;
    await handleUserPromptSubmit(echoPrompt(wakeUp), context(project, clock));
    for (let i = 5; i < 10; i++) {
      clock.t += 20;
      assert.equal((await holdNotice(project, clock, i)).stdout?.["continue"], false);
    }
    const entries: Record<string, unknown>[] = [];
    const add = (e: Record<string, unknown>) =>
      entries.push({ parentUuid: entries.at(-1)?.["uuid"] ?? null, isSidechain: false, ...e });
    const addNotice = (i: number) =>
      add({
        type: "user",
        uuid: `u-${i}`,
        promptId: pid(i),
        message: { role: "user", content: notice(`bwait${i}`) },
      });
    for (let i = 0; i < 5; i++) addNotice(i);
    add({ type: "user", uuid: "u-echo", promptId: ECHO_PROMPT, message: { role: "user", content: wakeUp } });
    for (let i = 5; i < 10; i++) addNotice(i);
    const transcript = join(project.dir, "t.jsonl");
    const write = (extra: Record<string, unknown>[] = []) =>
      writeFileSync(transcript, `${[...entries, ...extra].map((e) => JSON.stringify(e)).join("\n")}\n`);
    write();
    return { transcript, write };
  };
  const rewakeFor9 = (project: TempProject, clock: { t: number }, transcript: string, onSleep: () => void) =>
    handleRewake(
      input("UserPromptSubmit", { prompt: notice("bwait9"), prompt_id: pid(9), transcript_path: transcript }),
      context(project, clock, {}, onSleep),
    );
  const owed = (project: TempProject) =>
    (state(project).batches as { deliveredAt?: number }[]).filter((b) => b.deliveredAt === undefined);

  // The answer is written (after the Stop hooks) while the second batch waits: the five drained into
  // the wake-up's request are settled, and nothing wakes again.
  await withProject(async (project) => {
    const clock = { t: 1000 };
    const { transcript, write } = await setup(project, clock);
    assert.equal(owed(project).length, 1, "the five held after the echo make a full batch");
    const woke = await rewakeFor9(project, clock, transcript, () =>
      write([{ type: "assistant", uuid: "a-1", parentUuid: "u-9", message: { role: "assistant" } }]),
    );
    assert.deepEqual(woke, {}, "no second wake-up");
    assert.equal(owed(project).length, 0);
  });
  // No answer ever comes: after the wait the batch is told as before (at worst twice, never lost).
  await withProject(async (project) => {
    const clock = { t: 1000 };
    const { transcript } = await setup(project, clock);
    const start = clock.t;
    const woke = await rewakeFor9(project, clock, transcript, () => undefined);
    assert.equal(woke.exitCode, 2);
    assert.match(woke.stderr ?? "", /task bwait9/);
    assert.ok(clock.t - start >= WAKE_ANSWER_WAIT_MS - 1000, `waited ${clock.t - start} ms`);
  });
});

test("a rewake that loses the claim to another waits for that wake-up's answer before it claims what came after", async () => {
  // The late notice is recorded owed (its own rewake gave up waiting for the sync hook's decision)
  // between this rewake's last look and its claim, or after its claim came back empty.
  for (const lateAt of ["before its claim", "after its claim"] as const)
    await withProject(async (project) => {
      const clock = { t: 1000 };
      for (let i = 0; i < 5; i++) await holdNotice(project, clock, i);
      const transcript = join(project.dir, "t.jsonl");
      const lines = (entries: Record<string, unknown>[]) =>
        writeFileSync(transcript, `${entries.map((e) => JSON.stringify(e)).join("\n")}\n`);
      const user = (uuid: string, promptId: string, content: string) => ({
        type: "user",
        uuid,
        promptId,
        message: { role: "user", content },
      });
      const held = [0, 1, 2, 3, 4].map((i) => user(`u-${i}`, pid(i), notice(`bwait${i}`)));
      lines(held);
      let wakeUp = "";
      const ctx = context(project, clock, {}, () => {
        // The other wake-up's request comes back: it carried the late notice too.
        if (wakeUp)
          lines([
            ...held,
            user("u-echo", ECHO_PROMPT, wakeUp),
            user("u-5", pid(5), notice("bwait5")),
            { type: "assistant", uuid: "a-1", parentUuid: "u-5", message: { role: "assistant" } },
          ]);
      });
      const recordLate = async () => {
        const late = parseTaskNotification(notice("bwait5"));
        assert.ok(late);
        await ctx.notifications.transact(
          (s, rec) => recordArrivedNotice(s, S, late, pid(5), clock.t, rec, "record"),
          clock.t,
        );
      };
      const claim = ctx.notifications.flushParent.bind(ctx.notifications);
      ctx.notifications.flushParent = async (...args) => {
        if (wakeUp) return claim(...args);
        const other = await handleRewake(
          input("UserPromptSubmit", { prompt: notice("bwait3"), prompt_id: pid(3) }),
          context(project, clock),
        );
        wakeUp = other.stderr ?? "";
        assert.match(wakeUp, /task bwait0/, "the other rewake claims the batch first");
        if (lateAt === "before its claim") await recordLate();
        const lost = await claim(...args);
        assert.deepEqual(lost, [], lateAt);
        if (lateAt === "after its claim") await recordLate();
        return lost;
      };
      const woke = await handleRewake(
        input("UserPromptSubmit", {
          prompt: notice("bwait4"),
          prompt_id: pid(4),
          transcript_path: transcript,
        }),
        ctx,
      );
      assert.deepEqual(
        woke,
        {},
        `${lateAt}: no second wake-up, the late notice rode on the first one's request`,
      );
      const owed = (state(project).batches as { deliveredAt?: number }[]).filter(
        (b) => b.deliveredAt === undefined,
      );
      assert.equal(owed.length, 0, lateAt);
    });
});

test("Stop settles the held notices that stood before its turn's prompt: its answered request carried them", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    for (let i = 0; i < 3; i++) await holdNotice(project, clock, i);
    const typed = "00000000-0000-4000-8000-0000000001ff";
    const entries = [0, 1, 2].map((i) => ({
      type: "user",
      uuid: `u-${i}`,
      parentUuid: i === 0 ? null : `u-${i - 1}`,
      promptId: pid(i),
      message: { role: "user", content: notice(`bwait${i}`) },
    }));
    entries.push({
      type: "user",
      uuid: "u-typed",
      parentUuid: "u-2",
      promptId: typed,
      message: { role: "user", content: "hi" },
    });
    // A notice held after the turn's prompt was written came too late for its request.
    entries.push({
      type: "user",
      uuid: "u-late",
      parentUuid: "u-typed",
      promptId: pid(3),
      message: { role: "user", content: notice("bwait3") },
    });
    await holdNotice(project, clock, 3);
    const transcript = join(project.dir, "t.jsonl");
    writeFileSync(transcript, `${entries.map((e) => JSON.stringify(e)).join("\n")}\n`);
    const stop = (prompt?: string) =>
      handleStop(
        input("Stop", {
          transcript_path: transcript,
          stop_hook_active: true,
          ...(prompt ? { prompt_id: prompt } : {}),
        }),
        context(project, clock),
      );
    await stop();
    const held = () =>
      (state(project).batches as { deliveredAt?: number; items: { task: { id: string } }[] }[])
        .filter((b) => b.deliveredAt === undefined)
        .flatMap((b) => b.items.map((i) => i.task.id))
        .sort();
    assert.deepEqual(
      held(),
      ["bwait0", "bwait1", "bwait2", "bwait3"],
      "without its prompt, Stop learns nothing",
    );
    await stop(typed);
    assert.deepEqual(held(), ["bwait3"]);
  }));

const STOP_FIXTURE = join(FIXTURES, "transcripts", "user-stop-task.at-notice.jsonl");
const STOP_SESSION = "2fca027e-8355-4d95-8a4c-d66b07d5699e";

function shellLaunch(id: string, session = S): HookInput {
  return {
    ...input("PostToolUse", {
      tool_name: "Bash",
      tool_input: { command: `sleep ${id.length}`, description: `job ${id}`, run_in_background: true },
      tool_response: { stdout: "", stderr: "", interrupted: false, backgroundTaskId: id },
    }),
    session_id: session,
  };
}

/** The two shells of user-stop-task.jsonl, launched at 1000, with the clock at 6000. */
async function launchedStopFixtureShells(project: TempProject) {
  const clock = { t: 1000 };
  const ctx = context(project, clock);
  await handlePostToolUse(shellLaunch("besaksqen", STOP_SESSION), ctx);
  await handlePostToolUse(shellLaunch("bfi0xqk98", STOP_SESSION), ctx);
  clock.t = 6000;
  return { clock, ctx };
}

test("a task the user stopped while idle (no hook saw it) is not counted running: the transcript queued its notice", () =>
  withProject(async (project) => {
    const { ctx } = await launchedStopFixtureShells(project);
    const prompt = {
      ...input("UserPromptSubmit", { prompt: notice("bfi0xqk98"), transcript_path: STOP_FIXTURE }),
      session_id: STOP_SESSION,
    };
    const held = await handleUserPromptSubmit(prompt, ctx);
    assert.equal(held.stdout?.["continue"], false);
    const woke = await handleRewake(prompt, ctx);
    assert.equal(woke.exitCode, 2);
    assert.match(woke.stderr ?? "", /none still running/);
    assert.doesNotMatch(woke.stderr ?? "", /besaksqen/, "Claude Code tells the stop itself");
    const stopped = state(project).tasks[`${STOP_SESSION}/besaksqen`];
    assert.equal(stopped.status, "cancelled");
    assert.equal(stopped.originalStatus, "killed");
    assert.deepEqual(runningButUnlisted(state(project)), []);
  }));

test("a subagent's own shell ends with the subagent: nothing it launched is left running", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    await startBackgroundAgent("abuild", ctx);
    await handlePostToolUse(
      { ...shellLaunch("bsub0001"), agent_id: "abuild", agent_type: "general-purpose" },
      ctx,
    );
    const listed = [
      { id: "abuild", type: "subagent", status: "running" },
      { id: "bsub0001", type: "shell", status: "running" },
    ];
    // First stop: its shell still runs, so the agent waits; then it is resumed and finishes.
    clock.t = 2000;
    await handleSubagentStop(
      input("SubagentStop", { agent_id: "abuild", agent_type: "general-purpose", background_tasks: listed }),
      ctx,
    );
    assert.equal(state(project).tasks[`${S}/bsub0001`].status, "running");
    clock.t = 4000;
    await handleSubagentStop(
      input("SubagentStop", {
        agent_id: "abuild",
        agent_type: "general-purpose",
        last_assistant_message: "BUILD-DONE",
        background_tasks: [listed[0]],
      }),
      ctx,
    );
    const own = state(project).tasks[`${S}/bsub0001`];
    assert.equal(own.status, "cancelled");
    assert.equal(own.originalStatus, ENDED_WITHOUT_NOTICE);
    assert.ok(Object.values(state(project).tasks).every((t) => !isActive(t as BackgroundTask)));
    assert.ok(existsSync(join(project.stateDir, "nothing-running")), "the launcher's fast path is back");
  }));

test("SessionEnd: the session's work ends with its process (not on /clear); nothing stays running", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    await handlePostToolUse(shellLaunch("bend0001"), ctx);
    await handleSessionEnd(input("SessionEnd", { reason: "clear" }), ctx);
    assert.equal(state(project).tasks[`${S}/bend0001`].status, "running", "a /clear keeps the process");
    await handleSessionEnd(input("SessionEnd", { reason: "other" }), ctx);
    const ended = state(project).tasks[`${S}/bend0001`];
    assert.equal(ended.status, "cancelled");
    assert.equal(ended.originalStatus, "stopped");
    const owed = state(project).batches.filter((b: { deliveredAt?: number }) => b.deliveredAt === undefined);
    assert.equal(owed.length, 0, "Claude Code reports it on a resume: nothing is held for it");
  }));

test("a task Claude Code stopped listing with no notice yet: the summary says its outcome is unknown, not running", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const ctx = context(project, clock);
    await handlePostToolUse(shellLaunch("bgone0001"), ctx);
    await handlePostToolUse(shellLaunch("bdone0001"), ctx);
    clock.t = 2000;
    await handleStop(
      input("Stop", {
        stop_hook_active: false,
        background_tasks: [{ id: "bdone0001", type: "shell", status: "running" }],
      }),
      ctx,
    );
    assert.deepEqual(runningButUnlisted(state(project)), []);
    clock.t = 3000;
    const prompt = input("UserPromptSubmit", { prompt: notice("bdone0001") });
    await handleUserPromptSubmit(prompt, ctx);
    const woke = await handleRewake(prompt, ctx);
    assert.match(woke.stderr ?? "", /none still running · 1 ended \(outcome unknown to bg-notify\)/);
  }));

test("a launch folded in after a Stop whose list left it out does not count as running", () =>
  withProject(async (project) => {
    const clock = { t: 5000 };
    const ctx = context(project, clock);
    await handleStop(
      input("Stop", {
        stop_hook_active: false,
        background_tasks: [{ id: "bother01", type: "shell", status: "running" }],
      }),
      ctx,
    );
    // The launcher queued this launch (it does not wait for it); node folds it in only now.
    clock.t = 6000;
    await handlePostToolUse({ ...shellLaunch("blate0001"), duration_ms: 2000 }, ctx);
    assert.ok(state(project).tasks[`${S}/blate0001`].vanishedAt !== undefined);
    assert.deepEqual(runningButUnlisted(state(project)), []);
  }));

test("a batch handed over as context does not count a task the user stopped meanwhile", () =>
  withProject(async (project) => {
    const { ctx } = await launchedStopFixtureShells(project);
    const at = (prompt: string) => ({
      ...input("UserPromptSubmit", { prompt, transcript_path: STOP_FIXTURE }),
      session_id: STOP_SESSION,
    });
    await handleUserPromptSubmit(at(notice("bfi0xqk98")), ctx);
    // No rewake ran (say it was killed): the person's next prompt carries the batch.
    const typed = await handleUserPromptSubmit(at("what happened?"), ctx);
    const told = JSON.stringify(typed.stdout ?? {});
    assert.match(told, /bfi0xqk98/);
    assert.match(told, /none still running/);
  }));

test("notifyAllDone with the command hooks: the person's command runs once, when the last task's notice is held", () =>
  withProject(async (project) => {
    const clock = { t: 1000 };
    const signal = join(project.dir, "signals.txt");
    const env = {
      BG_NOTIFY_ALL_DONE: "1",
      BG_NOTIFY_ALL_DONE_COMMAND: `printf '%s\\n' "$BG_NOTIFY_MESSAGE" >> '${signal}'`,
    };
    for (const id of ["bdone0", "bdone1"])
      await handleLaunch(
        input("PostToolUse", {
          tool_name: "Bash",
          tool_input: { command: "sleep 1", run_in_background: true },
          tool_response: { stdout: "", backgroundTaskId: id },
          tool_use_id: `toolu_${id}`,
        }),
        context(project, clock, env),
      );
    const first = await handleUserPromptSubmit(
      input("UserPromptSubmit", { prompt: notice("bdone0"), prompt_id: pid(0) }),
      context(project, clock, env),
    );
    assert.deepEqual((first.stdout as { continue?: boolean }).continue, false, "held");
    clock.t += 500;
    const last = await handleUserPromptSubmit(
      input("UserPromptSubmit", { prompt: notice("bdone1"), prompt_id: pid(1) }),
      context(project, clock, env),
    );
    assert.equal((last.stdout as { continue?: boolean }).continue, false, "held; no wait for the command");
    // Its rewake records the same completion: no second signal.
    clock.t += 50;
    await handleRewake(
      input("UserPromptSubmit", { prompt: notice("bdone1"), prompt_id: pid(1) }),
      context(project, clock, env),
    );
    for (let i = 0; i < 100 && !existsSync(signal); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(readFileSync(signal, "utf8"), "All background work done: 2 tasks finished.\n");
  }));
