// What a session's transcript shows the model was given: held notices answered (`repliedPrompts`),
// over real transcript tails recorded at Stop (test/fixtures/transcripts/README.md).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repliedPrompts } from "../../src/claude/transcript.ts";
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

test("a notice held after the last request, or in another branch, is not answered", () => {
  const dir = mkdtempSync(join(tmpdir(), "bg-notify-transcript-"));
  try {
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an unreadable or hostile path reads as unknown, and nothing asked is nothing found", () => {
  assert.equal(repliedPrompts("/nonexistent/t.jsonl", ["x"]), undefined);
  assert.equal(repliedPrompts(42, ["x"]), undefined);
  assert.equal(repliedPrompts("relative/../t.jsonl", ["x"]), undefined);
  assert.equal(repliedPrompts(AT_STOP, []), undefined);
  assert.deepEqual(repliedPrompts(AT_STOP, ["not-there"]), new Set());
});
