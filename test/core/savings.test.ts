// What bg-notify saved: the tally both layers keep, the native turns it stands for, the tokens those
// would have sent by the session's own transcript.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { parseTaskNotification } from "../../src/claude/task-notification.ts";
import { recordArrivedNotice } from "../../src/claude/track-notices.ts";
import { transcriptCosts } from "../../src/claude/transcript.ts";
import { type BatchLimits, claimBatches, recorderFor } from "../../src/core/batching.ts";
import {
  estimateSavings,
  nativeTurnStarts,
  noteCompletion,
  noteTranscript,
  noteWakeUp,
  TALLY_KEEP,
  TALLY_SESSIONS_KEEP,
  TALLY_TTL_MS,
  totalSavings,
} from "../../src/core/savings.ts";
import { createEmptyState, exceedsRetention, parseState, pruneState } from "../../src/core/state.ts";
import type { SessionTally } from "../../src/core/types.ts";

const P = "parent-1";
const LIMITS: BatchLimits = { batchWindowMs: 1000, maxBatchSize: 5 };

const tally = (idle: number[], woke: number[], completions = idle.length): SessionTally => ({
  completions,
  idle,
  woke,
  at: 0,
});

const notice = (id: string) =>
  parseTaskNotification(
    `<task-notification>\n<task-id>${id}</task-id>\n<status>completed</status>\n<summary>Background command "job ${id}" completed (exit code 0)</summary>\n</task-notification>`,
  );

test("natively a notice that arrives while an earlier one's turn still runs joins that turn", () => {
  assert.deepEqual(nativeTurnStarts([0, 2000, 4000], 500), [0, 2000, 4000]);
  assert.deepEqual(nativeTurnStarts([0, 300, 2000, 2400, 2600], 500), [0, 2000, 2600]);
  assert.deepEqual(nativeTurnStarts([4000, 0, 2000], 0), [0, 2000, 4000], "in the order they came");
  assert.deepEqual(nativeTurnStarts([], 500), []);
});

test("the estimate: native turns at the cost of the request before each, less bg-notify's wake-ups", () => {
  const costs = {
    requests: [
      { at: 1000, inputTokens: 10_000 },
      { at: 5000, inputTokens: 12_000 },
      { at: 9000, inputTokens: 15_000 },
    ],
    turnsMs: [100, 200, 300],
  };
  // Three completions while idle after the first request, one after the second; one wake-up at 6000.
  const s = estimateSavings(tally([2000, 3000, 4000, 6000], [6000]), costs);
  assert.equal(s.turnMs, 200);
  assert.equal(s.nativeWakeUps, 4);
  assert.equal(s.wakeUps, 1);
  assert.equal(s.savedWakeUps, 3);
  assert.equal(s.tokensSaved, 3 * 10_000 + 12_000 - 12_000);
  // Before the first request known, the earliest known stands in.
  assert.equal(estimateSavings(tally([500], []), costs).tokensSaved, 10_000);
  // No transcript: counts, no token figure.
  const blind = estimateSavings(tally([2000, 3000], [3500]));
  assert.equal(blind.tokensSaved, undefined);
  assert.equal(blind.savedWakeUps, 1);
  // bg-notify never claims to have saved a negative amount.
  assert.equal(estimateSavings(tally([2000], [2000, 6000]), costs).savedWakeUps, 0);
  assert.equal(estimateSavings(tally([2000], [2000, 6000]), costs).tokensSaved, 0);
  const total = totalSavings([s, blind]);
  assert.equal(total.savedWakeUps, 4);
  assert.equal(total.tokensSaved, s.tokensSaved, "tokens only where a transcript was read");
});

test("the tally: idle arrivals and wake-ups, each list bounded; a stale tally is pruned", () => {
  const state = createEmptyState(0);
  for (let i = 0; i < TALLY_KEEP + 20; i++) noteCompletion(state, P, i, i % 2 === 0);
  noteCompletion(state, P, 10_000, false);
  noteWakeUp(state, P, 10_001);
  noteTranscript(state, P, "/t/session.jsonl", 10_002);
  const t = state.tally?.[P] as SessionTally;
  assert.equal(t.completions, TALLY_KEEP + 21);
  assert.equal(t.idle.length, (TALLY_KEEP + 20) / 2);
  assert.deepEqual(t.woke, [10_001]);
  assert.equal(t.transcript, "/t/session.jsonl");
  for (let i = 0; i < TALLY_KEEP + 5; i++) noteWakeUp(state, P, 20_000 + i);
  assert.equal(t.woke.length, TALLY_KEEP);
  assert.equal(t.woke[0], 20_005, "the newest are kept");
  assert.deepEqual(t.idle, [], "both lists cover the same span: the arrivals before it go");
  const reread = parseState(JSON.parse(JSON.stringify(state)));
  assert.ok(reread.ok);
  assert.deepEqual(reread.state.tally, state.tally, "state.json keeps it whole");
  pruneState(state, t.at + TALLY_TTL_MS - 1, { taskTtlMs: 1e12, deliveredTtlMs: 1e12 });
  assert.ok(state.tally?.[P], "kept while fresh");
  pruneState(state, t.at + TALLY_TTL_MS + 1, { taskTtlMs: 1e12, deliveredTtlMs: 1e12 });
  assert.equal(state.tally?.[P], undefined);
  // A project keeps the most recently touched sessions' tallies.
  for (let i = 0; i < TALLY_SESSIONS_KEEP + 3; i++) noteCompletion(state, `s${i}`, 1000 + i, true);
  assert.equal(exceedsRetention(state), true);
  pruneState(state, 2000, { taskTtlMs: 1e12, deliveredTtlMs: 1e12 });
  assert.deepEqual(
    Object.keys(state.tally ?? {}).sort(),
    Array.from({ length: TALLY_SESSIONS_KEEP }, (_, i) => `s${i + 3}`).sort(),
  );
});

test("a malformed tally makes the state file invalid rather than half-read", () => {
  const state = createEmptyState(0);
  noteCompletion(state, P, 1, true);
  const bad = JSON.parse(JSON.stringify(state));
  bad.tally[P].idle = ["soon"];
  const parsed = parseState(bad);
  assert.equal(parsed.ok, false);
  assert.match(parsed.ok ? "" : parsed.reason, /tally/);
});

test("a notice held while idle counts as a native wake-up; one inside a turn does not; each once", () => {
  const state = createEmptyState(0);
  state.sessions = { [P]: { promptId: "p-turn", at: 0 } };
  const record = recorderFor(state, 100, LIMITS);
  // Held between turns (its prompt is its own), recorded by both of its hooks: counted once.
  recordArrivedNotice(state, P, notice("a")!, "p-a", 100, record);
  recordArrivedNotice(state, P, notice("a")!, "p-a", 120, record);
  // Inside the running turn: told by Claude Code, no wake-up natively either.
  recordArrivedNotice(state, P, notice("b")!, "p-turn", 200, record);
  const t = state.tally?.[P] as SessionTally;
  assert.equal(t.completions, 2);
  assert.deepEqual(t.idle, [100]);
  // A wake-up's claim is counted; a prompt's is not.
  claimBatches(state, 1200, LIMITS, { via: "rewake", force: true, by: "x" });
  assert.deepEqual(t.woke, [1200]);
  recordArrivedNotice(state, P, notice("c")!, "p-c", 1300, recorderFor(state, 1300, LIMITS));
  claimBatches(state, 1400, LIMITS, { via: "prompt-context", force: true, by: "y" });
  assert.deepEqual(t.woke, [1200]);
});

test("the transcript's costs: one per message, main conversation only, and each turn's length", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bg-notify-savings-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "s.jsonl");
  const at = (ms: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, 0) + ms).toISOString();
  const usage = (input: number, read: number, created: number) => ({
    input_tokens: input,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: created,
    output_tokens: 5,
  });
  const lines = [
    { type: "queue-operation", timestamp: at(0) },
    { type: "user", promptId: "p1", isSidechain: false, timestamp: at(0), message: { content: "go" } },
    {
      type: "assistant",
      isSidechain: false,
      timestamp: at(400),
      message: { id: "m1", usage: usage(10, 900, 90) },
    },
    {
      type: "assistant",
      isSidechain: false,
      timestamp: at(450),
      message: { id: "m1", usage: usage(10, 900, 90) },
    },
    { type: "user", promptId: "p1", isSidechain: false, timestamp: at(500), message: { content: [] } },
    {
      type: "assistant",
      isSidechain: false,
      timestamp: at(900),
      message: { id: "m2", usage: usage(20, 1000, 0) },
    },
    {
      type: "assistant",
      isSidechain: true,
      timestamp: at(950),
      message: { id: "s1", usage: usage(1, 1, 1) },
    },
    { type: "user", promptId: "p2", isSidechain: false, timestamp: at(5000), message: { content: "more" } },
    {
      type: "assistant",
      isSidechain: false,
      timestamp: at(5300),
      message: { id: "m3", usage: usage(5, 1100, 0) },
    },
  ];
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n{"type":"assistant", broken\n`);
  const costs = transcriptCosts(file);
  assert.deepEqual(costs, {
    requests: [
      { at: Date.parse(at(400)), inputTokens: 1000 },
      { at: Date.parse(at(900)), inputTokens: 1020 },
      { at: Date.parse(at(5300)), inputTokens: 1105 },
    ],
    turnsMs: [900, 300],
  });
  assert.equal(transcriptCosts(join(dir, "missing.jsonl")), undefined);
  assert.equal(transcriptCosts(undefined), undefined);
});
