// What bg-notify saved, as `status` (text and --json) and `statusline --savings` show it: a session's
// tally weighed by the usage its own transcript records.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { noteCompletion, noteTranscript, noteWakeUp } from "../../src/core/savings.ts";
import { runCli, SESSION_A, SESSION_B, seedState, tempDir } from "./helpers.ts";

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

/** A transcript of three answered requests of 40 000, 41 000 and 42 500 input tokens; turns of 300 ms. */
function transcript(dir: string): string {
  const file = join(dir, "session-a.jsonl");
  const entry = (type: string, ms: number, extra: object) =>
    JSON.stringify({ type, isSidechain: false, timestamp: new Date(T0 + ms).toISOString(), ...extra });
  const answer = (ms: number, id: string, tokens: number) =>
    entry("assistant", ms, {
      message: {
        id,
        usage: {
          input_tokens: 100,
          cache_read_input_tokens: tokens - 600,
          cache_creation_input_tokens: 500,
          output_tokens: 9,
        },
      },
    });
  const lines = [
    entry("user", 0, { promptId: "p1", message: { content: "run three" } }),
    answer(300, "m1", 40_000),
    entry("user", 10_000, { promptId: "p2", message: { content: "wake" } }),
    answer(10_300, "m2", 41_000),
    entry("user", 20_000, { promptId: "p3", message: { content: "three more" } }),
    answer(20_300, "m3", 42_500),
  ];
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

async function seed(dir: string, transcriptPath: string): Promise<void> {
  await seedState(dir, (state) => {
    // A: three completions between turns 1 s apart, one wake-up after them; three more later, one wake-up.
    for (const at of [1000, 2000, 3000, 21_000, 22_000, 23_000])
      noteCompletion(state, SESSION_A, T0 + at, true);
    noteCompletion(state, SESSION_A, T0 + 20_100, false);
    noteWakeUp(state, SESSION_A, T0 + 4000);
    noteWakeUp(state, SESSION_A, T0 + 24_000);
    noteTranscript(state, SESSION_A, transcriptPath, T0 + 24_000);
    // B: no transcript known.
    noteCompletion(state, SESSION_B, T0 + 5000, true);
  });
}

test("status: wake-ups used against native, and the input tokens of the spared turns", async (t) => {
  const dir = tempDir(t);
  await seed(dir, transcript(tempDir(t, "transcripts")));
  const json = await runCli(["status", "--state-dir", dir, "--session", SESSION_A, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const { savings } = JSON.parse(json.stdout) as { savings: { total: Record<string, number> } };
  // Natively six turns: three at the first request's cost, three at the third's; bg-notify woke twice,
  // at the same two costs.
  assert.deepEqual(savings.total, {
    completions: 7,
    wakeUps: 2,
    nativeWakeUps: 6,
    savedWakeUps: 4,
    tokensSaved: 3 * 40_000 + 3 * 42_500 - 40_000 - 42_500,
    turnMs: 300,
  });
  const text = await runCli(["status", "--state-dir", dir]);
  assert.match(
    text.stdout,
    /^Savings: 8 completion\(s\) · 2 wake-up\(s\), natively 7 \(5 saved\) · ≈165\.0 k tokens saved$/m,
  );
  assert.match(
    text.stdout,
    /^ {2}session session-b {2}1 completion\(s\) · 0 wake-up\(s\), natively 1 \(1 saved\)$/m,
  );
});

test("statusline --savings: the session's saved wake-ups and tokens after its counts", async (t) => {
  const dir = tempDir(t);
  await seed(dir, transcript(tempDir(t, "transcripts")));
  const a = await runCli(["statusline", "--state-dir", dir, "--session", SESSION_A, "--savings"]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, "bg idle · 4 wake-ups saved · ≈165.0 k tokens\n");
  const b = await runCli(["statusline", "--state-dir", dir, "--session", SESSION_B, "--savings"]);
  assert.equal(b.stdout, "bg idle · 1 wake-up saved\n", "no transcript: no token figure");
  const plain = await runCli(["statusline", "--state-dir", dir, "--session", SESSION_A]);
  assert.equal(plain.stdout, "bg idle\n", "off unless asked for");
});
