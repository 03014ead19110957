// What a session's transcript shows the model was given: held notices answered (`repliedPrompts`),
// a wake-up answered (`answeredMentions`), and the Claude Code that wrote it (`transcriptVersion`),
// over real transcript tails recorded at Stop (test/fixtures/transcripts/README.md).

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  answeredMentions,
  queuedNotices,
  repliedPrompts,
  transcriptMentions,
  transcriptVersion,
} from "../../src/claude/transcript.ts";
import * as reference from "../fixtures/transcript-reference.ts";
import { tempDir } from "../helpers.ts";
import { FIXTURES, type TranscriptLine, transcriptNotices } from "../plugin/hook-harness.ts";

const AT_STOP = join(FIXTURES, "transcripts", "wake-up-drain.at-stop.jsonl");
const REPLIED = join(FIXTURES, "transcripts", "wake-up-drain.replied.jsonl");

test("a request logged after held notices, with no answer written yet, proves nothing", () => {
  const drained = transcriptNotices(AT_STOP)
    .filter((n) => n.afterEcho)
    .map((n) => n.promptId);
  assert.equal(drained.length, 2, "the fixture has two notices drained into the wake-up's request");
  assert.deepEqual(repliedPrompts(AT_STOP, [...drained, "00000000-0000-4000-8000-00000000dead"]), new Set());
});

test("an answer that descends from a held notice's entry counts anywhere", () => {
  const notices = transcriptNotices(REPLIED).map((n) => n.promptId);
  assert.equal(notices.length, 10);
  assert.deepEqual(repliedPrompts(REPLIED, notices), new Set(notices));
});

test("a notice held after the last request, or in another branch, is not answered", (t) => {
  const dir = tempDir(t, "transcript");
  const lines = readFileSync(AT_STOP, "utf8").split("\n").filter(Boolean);
  const last = lines
    .map((l) => JSON.parse(l) as TranscriptLine)
    .filter((l) => l.type === "user" && l.uuid)
    .at(-1)!;
  const late = {
    ...JSON.parse(lines.find((l) => l.includes(last.uuid!))!),
    uuid: "11111111-1111-4111-8111-111111111111",
    parentUuid: last.uuid,
    promptId: "22222222-2222-4222-8222-222222222222",
  };
  const file = join(dir, "t.jsonl");
  writeFileSync(file, `${[...lines, JSON.stringify(late)].join("\n")}\n`);
  assert.deepEqual(repliedPrompts(file, [late.promptId]), new Set());
  // An assistant entry on another branch (a rewind) is no answer to it either.
  const other = { type: "assistant", uuid: "33333333-3333-4333-8333-333333333333", parentUuid: last.uuid };
  writeFileSync(file, `${[...lines, JSON.stringify(late), JSON.stringify(other)].join("\n")}\n`);
  assert.deepEqual(repliedPrompts(file, [late.promptId]), new Set());
  const reply = { ...other, uuid: "44444444-4444-4444-8444-444444444444", parentUuid: late.uuid };
  writeFileSync(file, `${[...lines, JSON.stringify(late), JSON.stringify(reply)].join("\n")}\n`);
  assert.deepEqual(repliedPrompts(file, [late.promptId]), new Set([late.promptId]));
});

test("an unreadable or hostile path reads as unknown, and nothing asked is nothing found", () => {
  assert.equal(repliedPrompts("/nonexistent/t.jsonl", ["x"]), undefined);
  assert.equal(repliedPrompts(42, ["x"]), undefined);
  assert.equal(repliedPrompts("relative/../t.jsonl", ["x"]), undefined);
  assert.equal(repliedPrompts(AT_STOP, []), undefined);
  assert.deepEqual(repliedPrompts(AT_STOP, ["not-there"]), new Set());
});

/** The last user entry of a fixture: the wake-up whose turn's Stop the fixture was copied at. */
function lastUser(file: string): TranscriptLine {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TranscriptLine)
    .filter((l) => l.type === "user" && l.uuid)
    .at(-1)!;
}

test("at a turn's Stop, what stood before its prompt rode on its answered request, and only that", (t) => {
  const notices = transcriptNotices(AT_STOP).map((n) => n.promptId);
  const echo = lastUser(AT_STOP);
  assert.ok(
    echo.promptId && !notices.includes(echo.promptId),
    "the fixture ends with the wake-up's own prompt",
  );
  assert.deepEqual(repliedPrompts(AT_STOP, notices, echo.promptId), new Set(notices));
  assert.deepEqual(repliedPrompts(AT_STOP, notices, "00000000-0000-4000-8000-00000000dead"), new Set());
  // A notice held after the turn's prompt came too late for its request.
  const dir = tempDir(t, "transcript");
  const late = { type: "user", uuid: "l-1", parentUuid: echo.uuid, promptId: "late-prompt" };
  const file = join(dir, "t.jsonl");
  writeFileSync(file, `${readFileSync(AT_STOP, "utf8")}${JSON.stringify(late)}\n`);
  assert.deepEqual(repliedPrompts(file, ["late-prompt"], echo.promptId), new Set());
});

test("a wake-up counts as answered once an assistant entry descends from its user entry", () => {
  const mentions = (file: string) =>
    [...readFileSync(file, "utf8").matchAll(/\(batch [^;]+;/g)].map((m) => m[0]);
  const replied = [...new Set(mentions(REPLIED))];
  assert.equal(replied.length, 3, "the fixture's two wake-ups name three batches");
  assert.deepEqual(answeredMentions(REPLIED, replied), new Set(replied));
  const atStop = [...new Set(mentions(AT_STOP))];
  assert.ok(atStop.length > 0);
  assert.deepEqual(answeredMentions(AT_STOP, atStop), new Set(), "no answer written yet");
  assert.deepEqual(answeredMentions(REPLIED, ["(batch b-unknown;"]), new Set());
  assert.equal(answeredMentions("/nonexistent/t.jsonl", replied), undefined);
  assert.equal(answeredMentions(REPLIED, []), undefined);
});

/** A session's transcript of `turns` turns, past 4 MB with multi-byte text, so that its tail is cut mid-character. */
function longTranscript(turns: number, pad: number, seed: number): { text: string; prompts: string[] } {
  let x = seed;
  const random = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const words = ["é", "✓", "—", "日本", "🙂", "ok", '\\"', "(batch b-7;", "(batch b-9;"];
  const filler = (n: number) =>
    Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(" ");
  const lines: string[] = [];
  const prompts: string[] = [];
  let parent: string | undefined;
  // Old history first: it pushes the tail's cut into these lines.
  const old = "é✓🙂".repeat(Math.ceil(4.3e6 / 9)) + "x".repeat(pad);
  lines.push(JSON.stringify({ type: "user", uuid: "old", promptId: "p-old", message: { content: old } }));
  parent = "old";
  for (let t = 0; t < turns; t++) {
    const promptId = `p-${t}`;
    prompts.push(promptId);
    const u = `u-${t}`;
    const mention = random() < 0.5 ? ` (batch b-${t};` : "";
    lines.push(
      JSON.stringify({
        type: "user",
        uuid: u,
        parentUuid: parent,
        promptId,
        message: { content: filler(20) + mention },
      }),
    );
    parent = u;
    if (random() < 0.3)
      lines.push(
        JSON.stringify({
          type: "attachment",
          uuid: `h-${t}`,
          parentUuid: parent,
          attachment: { type: "hook_additional_context", content: `(batch b-c${t}; ${filler(5)}` },
        }),
      );
    if (random() < 0.3)
      lines.push(JSON.stringify({ type: "queue-operation", content: `(batch b-q${t}; ${filler(5)}` }));
    // The last turns may be unanswered, or answered on another branch.
    if (t < turns - 2 || random() < 0.5) {
      const a = `a-${t}`;
      lines.push(
        JSON.stringify({
          type: "assistant",
          uuid: a,
          parentUuid: random() < 0.9 ? parent : "old",
          promptId,
          message: { content: filler(30) },
        }),
      );
      if (random() < 0.8) parent = a;
    }
  }
  return { text: `${lines.join("\n")}\n`, prompts };
}

test("the byte search finds exactly what decoding the whole tail found: a 4 MB tail cut mid-character", (t) => {
  const dir = tempDir(t, "transcript");
  const file = join(dir, "t.jsonl");
  let compared = 0;
  // The cut falls on each byte of a multi-byte character in turn.
  for (let seed = 1; seed <= 4; seed++) {
    const { text, prompts } = longTranscript(40, seed - 1, seed);
    writeFileSync(file, text);
    const needles = [
      "(batch b-7;",
      "(batch b-9;",
      "(batch b-30;",
      "(batch b-c12;",
      "(batch b-q5;",
      "(batch b-none;",
    ];
    for (let i = 0; i < 40; i += 3) needles.push(`(batch b-${i};`, `(batch b-c${i};`);
    const sets = [prompts.slice(-3), prompts.slice(-10, -5), ["p-old", "p-39"], ["p-missing"], prompts];
    assert.deepEqual(transcriptMentions(file, needles), reference.transcriptMentions(file, needles));
    assert.deepEqual(answeredMentions(file, needles), reference.answeredMentions(file, needles));
    for (const n of needles)
      assert.deepEqual(answeredMentions(file, [n]), reference.answeredMentions(file, [n]));
    for (const ids of sets)
      for (const answered of [undefined, prompts.at(-1), prompts.at(-4)]) {
        assert.deepEqual(repliedPrompts(file, ids, answered), reference.repliedPrompts(file, ids, answered));
        compared++;
      }
  }
  assert.ok(compared >= 60);
  // Not a test that cannot fail: what it compares is found at all.
  const { text, prompts } = longTranscript(40, 0, 3);
  writeFileSync(file, text);
  assert.ok((repliedPrompts(file, prompts)?.size ?? 0) > 10);
  assert.ok((transcriptMentions(file, ["(batch b-7;", "(batch b-9;"])?.size ?? 0) > 0);
});

test("context handed over by PostToolUse and Stop is in the transcript: a batch they tell can be seen received", () => {
  const file = join(FIXTURES, "transcripts", "context-attachments.jsonl");
  const found = transcriptMentions(file, ["(batch PTUMARK;", "(batch STOPMARK;", "(batch NEVER;"]);
  assert.deepEqual([...(found ?? [])].sort(), ["(batch PTUMARK;", "(batch STOPMARK;"]);
});

test("a queued notice no hook saw (a user's stop_task) is found for its task, and only for it", () => {
  const file = join(FIXTURES, "transcripts", "user-stop-task.at-notice.jsonl");
  const queued = queuedNotices(file, ["besaksqen", "bnothere1"]);
  assert.deepEqual([...(queued?.keys() ?? [])], ["besaksqen"]);
  assert.match(queued?.get("besaksqen") ?? "", /<status>killed<\/status>/);
  assert.equal(queuedNotices("/nonexistent/t.jsonl", ["besaksqen"]), undefined);
});

test("the version of Claude Code that wrote a transcript's newest entry", (t) => {
  assert.equal(transcriptVersion(REPLIED), "2.1.332", "a real transcript");
  const dir = tempDir(t, "transcript-version");
  const file = join(dir, "t.jsonl");
  const entry = (version: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ type: "user", version, message: { content: "x" }, ...extra });
  // A tool's output that quotes a version is text inside the entry, never the entry's own field.
  const quoting = entry("2.1.300", {
    toolUseResult: { stdout: '{"version":"9.9.9"}', nested: { version: "8.8.8" } },
  });
  writeFileSync(file, `${entry("2.1.290")}\n${quoting}\n{"type":"user","vers`);
  assert.equal(
    transcriptVersion(file),
    "2.1.300",
    "the newest whole entry; a line still being written is skipped",
  );
  writeFileSync(file, `${JSON.stringify({ type: "user", message: { content: "x" } })}\n`);
  assert.equal(transcriptVersion(file), undefined, "no entry names one");
  assert.equal(transcriptVersion(join(dir, "missing.jsonl")), undefined);
  assert.equal(transcriptVersion("relative.jsonl"), undefined);
  // A long history: only the tail is read, and its cut first line is not trusted.
  const long = entry("2.1.100", { toolUseResult: { stdout: "x".repeat(4.5 * 1024 * 1024) } });
  writeFileSync(file, `${long}\n${JSON.stringify({ type: "user", message: { content: "x" } })}\n`);
  assert.equal(transcriptVersion(file), undefined, "the only version is in the cut line");
  writeFileSync(file, `${long}\n${entry("2.1.332")}\n`);
  assert.equal(transcriptVersion(file), "2.1.332");
});
