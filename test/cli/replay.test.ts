// `bg-notify replay`: the recording through the real dist/ hooks, deterministic with --instant, honest
// exit codes and one-line errors.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { ReplayReport } from "../../src/replay/engine.ts";
import {
  assertNoColour,
  cleanEnv,
  fakePlugin,
  hookCommand,
  ROOT,
  runCli,
  SHELLS,
  streamingCli,
  tempDir,
} from "./helpers.ts";

type JsonReport = ReplayReport & { wakeUps: number; mode: string; file: string };

const TASK_IDS = ["bk0dces6s", "b8cwfvvai", "bxykw8n2b"];

test("--instant --json is deterministic and shows three notices turned into one wake-up", async (t) => {
  // TMPDIR per test: the replay's scratch directories must all be gone afterwards.
  const tmp = tempDir(t, "replay-tmp");
  const env = cleanEnv({ TMPDIR: tmp });
  const [first, second] = await Promise.all([
    runCli(["replay", SHELLS, "--instant", "--json"], { env }),
    runCli(["replay", SHELLS, "--instant", "--json"], { env }),
  ]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(first.stdout, second.stdout, "same recording, same report");
  assert.deepEqual(readdirSync(tmp), [], "no scratch directory left behind");

  const report = JSON.parse(first.stdout) as JsonReport;
  assert.equal(report.clock, "virtual");
  assert.equal(report.mode, "coalesce");
  assert.equal(report.notices, 3);
  assert.equal(report.blockedNotices, 3);
  assert.equal(report.nativeWakeUps, 0);
  assert.equal(report.pluginWakeUps, 1);
  assert.equal(report.wakeUps, 1);
  assert.equal(report.handlerErrors, 0);
  assert.equal(report.deliveries.length, 1);
  const [delivery] = report.deliveries;
  assert.equal(delivery?.kind, "rewake");
  for (const id of TASK_IDS) assert.ok(delivery?.text.includes(id), `delivery names ${id}`);
  assert.match(delivery?.text ?? "", /exit code 3/);
  // Virtual time: delivered exactly one window after the first notice (recorded at 1836 ms).
  assert.equal(delivery?.atMs, 1836 + 1000);
  // Every handler of every event ran: both UserPromptSubmit handlers for each notice.
  const notice = report.events.find((e) => e.summary.startsWith("notice: task bk0dces6s"));
  assert.deepEqual(notice?.runs.map((r) => r.handler).sort(), ["rewake.js", "user-prompt-submit.js"]);
  assert.equal(notice?.runs.find((r) => r.handler === "user-prompt-submit.js")?.blocked, true);
});

test("--mode off is the baseline: every notice reaches the parent", async () => {
  const result = await runCli(["replay", SHELLS, "--instant", "--json", "--mode", "off"]);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as JsonReport;
  assert.equal(report.mode, "off");
  assert.equal(report.notices, 3);
  assert.equal(report.nativeWakeUps, 3);
  assert.equal(report.wakeUps, 3);
  assert.equal(report.deliveries.length, 0);
});

test("text output: per event handler, exit code, blocked, and the delivery in full", async () => {
  const result = await runCli(["replay", SHELLS, "--instant"]);
  assert.equal(result.code, 0, result.stderr);
  assertNoColour(result.stdout);
  const out = result.stdout;
  assert.match(out, /^#10 \+1\.836 s {2}UserPromptSubmit · notice: task bk0dces6s completed$/m);
  assert.match(out, /^ {5}user-prompt-submit\.js {2}exit 0 {2}HELD$/m);
  assert.match(out, /stdout: \{"continue":false/);
  assert.match(
    out,
    /↳ rewake\.js \(async, from #10\) exit 2 at \+2\.836 s, after 1000 ms {2}→ WOKE THE PARENT/,
  );
  assert.match(out, /┌ delivery \(rewake: woke the parent\)/);
  for (const id of TASK_IDS) assert.match(out, new RegExp(`│ .*task ${id}`));
  assert.match(out, /(no handler for this event)/);
  assert.match(out, /wake-up echo/);
  assert.match(out, /parent wake-ups: +1 \(0 native \+ 1 by bg-notify\)/);
  assert.equal(result.stderr, "", "no progress noise when stderr is not a terminal");
});

test("reads bare hook-input lines from stdin (-)", async () => {
  const bare = readFileSync(SHELLS, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.stringify((JSON.parse(line) as { input: unknown }).input))
    .join("\n");
  const result = await runCli(["replay", "-", "--instant", "--json"], { input: bare });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as JsonReport;
  assert.equal(report.file, "stdin");
  assert.equal(report.notices, 3);
  // All at offset 0: the three notices land in one window all the same.
  assert.equal(report.wakeUps, 1);
});

test("--speed honours the recorded timing, scaled, on the real clock", async () => {
  const started = Date.now();
  const result = await runCli(["replay", SHELLS, "--speed", "4", "--json"]);
  const took = Date.now() - started;
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as JsonReport;
  assert.equal(report.clock, "real");
  assert.equal(report.notices, 3);
  // The last event is recorded at 5465 ms: at ×4 it cannot fire before ~1.37 s.
  const last = report.events.find((e) => e.event === "SessionEnd")!;
  assert.ok(last.runs[0]!.startedAtMs >= 5465 / 4 - 5, `last event fired at ${last.runs[0]?.startedAtMs} ms`);
  assert.ok(took >= 5465 / 4, `took ${took} ms`);
  // How many batches real time makes depends on the machine's speed; that nothing is lost does not.
  const delivered = report.deliveries.map((d) => d.text).join("\n");
  for (const id of TASK_IDS) assert.ok(delivered.includes(id), `${id} delivered`);
  assert.equal(report.nativeWakeUps, 0);
});

test("--state-dir keeps the replay's state there", async (t) => {
  const dir = join(tempDir(t), "kept");
  const result = await runCli(["replay", SHELLS, "--instant", "--state-dir", dir]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /state kept in /);
  const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as {
    tasks: Record<string, unknown>;
  };
  assert.equal(Object.keys(state.tasks).length, 3);
});

test("bad arguments exit 2 with one line; unreadable recordings exit 1", async (t) => {
  const dir = tempDir(t);
  const notJson = join(dir, "bad.jsonl");
  writeFileSync(notJson, `${readFileSync(SHELLS, "utf8").split("\n")[0]}\n{oops\n`);
  const empty = join(dir, "empty.jsonl");
  writeFileSync(empty, "\n");
  const cases: [string[], number, RegExp][] = [
    [["replay"], 2, /needs a recording/],
    [["replay", SHELLS, "--speed", "0"], 2, /--speed must be a number above 0, not '0'/],
    [["replay", SHELLS, "--speed", "fast"], 2, /--speed must be a number above 0/],
    [["replay", SHELLS, "--instant", "--speed", "2"], 2, /cannot be used together/],
    [["replay", SHELLS, "--mode", "loud"], 2, /--mode must be coalesce, summarize or off/],
    [["replay", SHELLS, SHELLS], 2, /unexpected argument/],
    [["replay", join(dir, "missing.jsonl")], 1, /missing\.jsonl: no such file/],
    [["replay", dir], 1, /is a directory/],
    [["replay", notJson, "--instant"], 1, /bad\.jsonl: line 2 is not JSON/],
    [["replay", empty], 1, /holds no hook inputs/],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  for (const [i, [args, code, message]] of cases.entries()) {
    const result = results[i]!;
    assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split("\n").length, 1, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
    assert.equal(result.stdout, "", args.join(" "));
  }
});

test("a handler that crashes makes the replay exit 1; a missing hook file is named", async (t) => {
  const crashing = fakePlugin(
    tempDir(t, "plugin"),
    { UserPromptSubmit: [{ hooks: [hookCommand("boom.js")] }] },
    { "boom.js": "process.stderr.write('boom\\n'); process.exit(3);\n" },
  );
  const prompt = JSON.stringify({ session_id: "s1", hook_event_name: "UserPromptSubmit", prompt: "hi" });
  const crash = await runCli(["replay", "-", "--instant", "--plugin-root", crashing], { input: prompt });
  assert.equal(crash.code, 1);
  assert.match(crash.stdout, /boom\.js {2}exit 3/);
  assert.match(crash.stdout, /stderr: boom/);
  assert.match(crash.stderr, /1 handler run\(s\) crashed/);

  const missing = fakePlugin(tempDir(t, "plugin"), { Stop: [{ hooks: [hookCommand("gone.js")] }] });
  const result = await runCli(["replay", "-", "--plugin-root", missing], { input: prompt });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /gone\.js is missing .*npm run build/);
});

test("--instant: a hook's own sleep runs on the virtual clock, not the wall clock", async (t) => {
  // An async handler that sleeps 10 virtual minutes through the hook context and then wakes the parent:
  // on the virtual clock this takes no real time, and the delivery lands exactly 600 000 ms later.
  const sleeper = [
    `const { createHookContext } = await import(${JSON.stringify(join(ROOT, "src", "plugin", "context.ts"))});`,
    "const ctx = createHookContext();",
    "const start = ctx.now();",
    "await ctx.sleep(600000);",
    "process.stderr.write('slept ' + (ctx.now() - start));",
    "process.exit(2);",
  ].join("\n");
  const plugin = fakePlugin(tempDir(t, "plugin"), {}, { "sleeper.mts": sleeper });
  // The fake hook imports TypeScript source, so it runs through tsx's loader.
  const script = ["$", "{CLAUDE_PLUGIN_ROOT}/dist/hooks/sleeper.mts"].join("");
  const handler = { type: "command", command: "node", args: ["--import", "tsx", script], asyncRewake: true };
  writeFileSync(
    join(plugin, "hooks", "hooks.json"),
    JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [handler] }] } }),
  );
  const prompt = JSON.stringify({ session_id: "s1", hook_event_name: "UserPromptSubmit", prompt: "hi" });
  const started = Date.now();
  const result = await runCli(["replay", "-", "--instant", "--json", "--no-echo", "--plugin-root", plugin], {
    input: prompt,
  });
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const report = JSON.parse(result.stdout) as JsonReport;
  assert.equal(report.deliveries.length, 1);
  assert.equal(report.deliveries[0]?.text, "slept 600000");
  assert.equal(report.deliveries[0]?.atMs, 600000);
  assert.ok(Date.now() - started < 120_000, "ten virtual minutes did not take ten real ones");
});

test("Ctrl-C (SIGINT) stops a replay: exit 130, one line, scratch directory removed", async (t) => {
  const tmp = tempDir(t, "replay-tmp");
  // Slowed down 5×: the recording would take ~27 s, so the interrupt lands mid-way.
  const run = streamingCli(t, ["replay", SHELLS, "--speed", "0.2"], cleanEnv({ TMPDIR: tmp }));
  await run.printed("#1 ");
  run.child.kill("SIGINT");
  assert.equal(await run.exit, 130);
  assert.equal(run.out.stderr, "bg-notify replay: interrupted\n");
  assert.doesNotMatch(run.out.stdout, /Summary/);
  assert.deepEqual(readdirSync(tmp), [], "scratch directory removed");
});
