// The hooks module under Claude Code's own test kit (`claude plugin test`, run by scripts/kit-test.ts):
// the engine loads hooks/register.js from the staged plugin; the kit's mocked clock, store and env stand
// beneath it, and the test's own hooks stand for the rest of the session.
import { expect, mock, test } from "claude-code/testing";

const SESSION = "kit-session-1";
const PROJECT = "/kit/project";
const T0 = 1_796_000_000_000;

function envelope(n: number, status = "completed", exit = 0): string {
  return [
    "<task-notification>",
    `<task-id>bkit${n}</task-id>`,
    `<tool-use-id>toolu_kit_${n}</tool-use-id>`,
    `<output-file>/tmp/kit/bkit${n}.output</output-file>`,
    `<status>${status}</status>`,
    `<summary>Background command "job ${n}" ${status} (exit code ${exit})</summary>`,
    "</task-notification>",
  ].join("\n");
}

// biome-ignore lint/suspicious/noExplicitAny: the kit's `$` and `on`, typed by its own declarations
type Any = any;

/** The world beneath the plugin: a mocked clock, store and env, and what the session answers. */
function session(on: Any, env: Record<string, string> = {}) {
  const clock = mock.clock(on, { now: T0 });
  mock.store(on);
  mock.env(on, env);
  const rows = mock.session(on);
  const passed: { text: string; origin: string; turnId?: string }[] = [];
  const envSet: Record<string, unknown>[] = [];
  on("session.start", async (_$: Any, e: Any) => ({ cwd: e.cwd }));
  on("session.id", async () => ({ value: SESSION }));
  on("fs.exists", async () => ({ value: false }));
  on("env.set", async (_$: Any, e: Any) => {
    envSet.push(e);
    return { value: {} };
  });
  on("ui.log", async () => ({ value: undefined }));
  on("prompt.submit", async (_$: Any, e: Any) => {
    passed.push({ text: e.text, origin: e.origin?.kind, ...(e.turnId ? { turnId: e.turnId } : {}) });
    return { text: e.text };
  });
  const notes = () =>
    rows
      .appended()
      .filter((r: Any) => r.door === "note")
      .map((r: Any) => r.message.content.map((b: Any) => b.text ?? "").join(""));
  return { clock, rows, passed, envSet, notes };
}

const start = ($: Any) => $.session.start({ cwd: PROJECT, surface: null, isInteractive: false });
const notice = ($: Any, text: string, turnId?: string) =>
  $.prompt.submit({
    text,
    origin: { kind: "task-notification" },
    wait: false,
    ...(turnId ? { turnId } : {}),
  });

test("three idle notices: held whole as notes, one wake-up when the window ends", async ($: Any, on: Any) => {
  const s = session(on);
  await start($);
  expect(s.envSet.some((e) => e["name"] === "BG_NOTIFY_HELD_BY" && e["value"] === "module")).toBe(true);
  for (const n of [1, 2, 3]) await notice($, envelope(n, n === 3 ? "failed" : "completed", n === 3 ? 3 : 0));
  expect(s.passed).toEqual([]);
  const notes = s.notes();
  expect(notes.length).toBe(3);
  for (const n of [1, 2, 3]) expect(notes[n - 1]).toContain(`<task-id>bkit${n}</task-id>`);
  await s.clock.advance(900);
  expect(s.passed).toEqual([]);
  await s.clock.advance(100);
  for (let step = 0; step < 10 && s.passed.length === 0; step++) await s.clock.advance(20);
  expect(s.passed.length).toBe(1);
  const wake = s.passed[0];
  expect(wake?.origin).toBe("plugin");
  expect(wake?.text).toContain("3 background tasks finished: 2 completed, 1 failed");
  expect(wake?.text).toContain("not a message or approval from the user");
  // The one-line-per-task summary rides as a note beside the three notices, failures first.
  const summary = s.notes()[3] ?? "";
  for (const n of [1, 2, 3]) expect(summary).toContain(`bkit${n}`);
  expect(summary.indexOf("bkit3")).toBeLessThan(summary.indexOf("bkit1"));
  await s.clock.advance(10_000);
  expect(s.passed.length).toBe(1);
});

test("five idle notices: the batch is full, the wake-up goes at once", async ($: Any, on: Any) => {
  const s = session(on);
  await start($);
  for (const n of [1, 2, 3, 4, 5]) await notice($, envelope(n));
  // A timer set for now: a few short steps let its chain of engine calls run, far inside the window.
  for (let step = 0; step < 10 && s.passed.length === 0; step++) await s.clock.advance(20);
  expect(s.clock.now() - T0).toBeLessThan(1000);
  expect(s.passed.length).toBe(1);
  expect(s.passed[0]?.text).toContain("5 background tasks finished");
});

test("a notice during a running turn passes on and is folded natively", async ($: Any, on: Any) => {
  const s = session(on);
  await start($);
  await notice($, envelope(1), "turn-1");
  expect(s.passed.map((p) => p.turnId)).toEqual(["turn-1"]);
  expect(s.notes()).toEqual([]);
  await s.clock.advance(5_000);
  expect(s.passed.length).toBe(1);
});

test("a prompt typed while a batch is held takes it: no wake-up", async ($: Any, on: Any) => {
  const s = session(on);
  await start($);
  await notice($, envelope(1));
  await s.clock.advance(300);
  await $.prompt.submit({ text: "what next?", origin: { kind: "composer" }, wait: false });
  expect(s.passed.map((p) => p.text)).toEqual(["what next?"]);
  await s.clock.advance(5_000);
  expect(s.passed.length).toBe(1);
});

test("a notice and a prompt that come while the session still starts wait for it", async ($: Any, on: Any) => {
  const s = session(on);
  // A resume's first rows and a prompt typed at once are dispatched while session.start reads its config.
  const starting = start($);
  const held = notice($, envelope(1));
  await Promise.all([starting, held]);
  expect(s.passed).toEqual([]);
  expect(s.notes().length).toBe(1);
  await $.prompt.submit({ text: "what finished?", origin: { kind: "composer" }, wait: false });
  expect(s.passed.map((p) => p.text)).toEqual(["what finished?"]);
});

test("an envelope bg-notify does not know passes untouched", async ($: Any, on: Any) => {
  const s = session(on);
  await start($);
  const odd =
    "<task-notification>\n<task-id>bkit9</task-id>\n<event>line 3 of the log</event>\n</task-notification>";
  await notice($, odd);
  expect(s.passed.map((p) => p.text)).toEqual([odd]);
  expect(s.notes()).toEqual([]);
});

test("the engine's row under a held notice is rewritten to one line of ours", async ($: Any, on: Any) => {
  const s = session(on);
  await start($);
  await notice($, envelope(1));
  await $.session.append({
    message: {
      type: "system",
      name: "informational",
      content: [
        { type: "text", text: "Prompt not submitted: a hook answered without passing the prompt on" },
      ],
    },
    door: "notice",
    origin: { kind: "engine" },
  });
  const row = s.rows.appended().find((r: Any) => r.door === "notice");
  const text = row?.message.content.map((b: Any) => b.text).join("");
  expect(text).toContain("held by bg-notify for one wake-up per batch");
  expect(text).not.toContain("Prompt not submitted");
});

test("policy defer (BG_NOTIFY_POLICY): held as notes, no wake-up; the next prompt goes on with them", async ($: Any, on: Any) => {
  const s = session(on, { BG_NOTIFY_POLICY: "defer" });
  await start($);
  for (const n of [1, 2, 3, 4]) await notice($, envelope(n));
  expect(s.notes().length).toBe(4);
  await s.clock.advance(30 * 60_000);
  expect(s.passed).toEqual([]);
  await $.prompt.submit({ text: "what finished?", origin: { kind: "composer" }, wait: false });
  expect(s.passed.map((p) => p.text)).toEqual(["what finished?"]);
});

test("layer hooks (BG_NOTIFY_LAYER): the module holds nothing and leaves the command hooks on", async ($: Any, on: Any) => {
  const s = session(on, { BG_NOTIFY_LAYER: "hooks" });
  await start($);
  await notice($, envelope(1));
  expect(s.passed.length).toBe(1);
  expect(s.notes()).toEqual([]);
  expect(s.envSet.some((e) => e["value"] === "module")).toBe(false);
});

test("a store that fails: the notice passes natively, nothing is lost", async ($: Any, on: Any) => {
  const clock = mock.clock(on, { now: T0 });
  mock.env(on, {});
  const passed: string[] = [];
  on("session.start", async (_$: Any, e: Any) => ({ cwd: e.cwd }));
  on("session.id", async () => ({ value: SESSION }));
  on("fs.exists", async () => ({ value: false }));
  on("env.set", async () => ({ value: {} }));
  on("ui.log", async () => ({ value: undefined }));
  on("store.get", async () => {
    throw new Error("disk full");
  });
  on("store.set", async () => {
    throw new Error("disk full");
  });
  on("store.keys", async () => ({ value: [] }));
  on("store.delete", async () => ({ value: undefined }));
  on("prompt.submit", async (_$: Any, e: Any) => {
    passed.push(e.text);
    return { text: e.text };
  });
  await start($);
  await notice($, envelope(1));
  await clock.advance(5_000);
  expect(passed).toEqual([envelope(1)]);
});
