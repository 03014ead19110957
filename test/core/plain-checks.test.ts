// The plain checks that let hooks skip zod (hook input, state.json, the config file) must agree with the
// zod schemas exactly: same verdict, same value. Mutated real inputs are run through both. Also: the
// count bounds keep a long session's state small, whatever the ages.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { hookInputSchema, parseHookInput } from "../../src/claude/hook-input.ts";
import { parseTaskNotification } from "../../src/claude/task-notification.ts";
import { registerLaunch } from "../../src/claude/track-launches.ts";
import { recordArrivedNotice, recordNotice } from "../../src/claude/track-notices.ts";
import { noteRunningTurn } from "../../src/claude/track-turns.ts";
import { claimBatches, recorderFor } from "../../src/core/batching.ts";
import { DEFAULT_CONFIG, fileSchema, resolveConfig } from "../../src/core/config.ts";
import { claimAsideLine, noteHostVersion, stepAside } from "../../src/core/host.ts";
import {
  createEmptyState,
  exceedsRetention,
  parseState,
  pruneState,
  stateSchema,
} from "../../src/core/state.ts";
import type { BgState } from "../../src/core/types.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
const ROUNDS = 3000;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s ^= s + Math.imul(s ^ (s >>> 7), 61);
    return ((s ^ (s >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random edits of a JSON value: a field replaced by another type, deleted, or added (`__proto__` too). */
function mutator(seed: number) {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const odd = (): unknown =>
    pick([
      null,
      0,
      -1,
      1.5,
      70_000,
      Number.MAX_SAFE_INTEGER + 2,
      "",
      "x",
      "bad id!",
      "off",
      true,
      [],
      [1],
      {},
      { a: 1 },
      JSON.parse('{"__proto__": {"polluted": 1}}'),
    ]);
  const mutate = (value: unknown, depth = 0): unknown => {
    if (value === null || typeof value !== "object") return random() < 0.5 ? odd() : value;
    const copy = structuredClone(value) as Record<string, unknown>;
    const keys = Object.keys(copy);
    const r = random();
    if (keys.length > 0 && r < 0.35) {
      const key = pick(keys);
      copy[key] = depth < 4 && random() < 0.6 ? mutate(copy[key], depth + 1) : odd();
    } else if (keys.length > 0 && r < 0.5 && !Array.isArray(copy)) delete copy[pick(keys)];
    else if (r < 0.6 && !Array.isArray(copy))
      copy[pick(["extra", "__proto__", "usage", "mode", "sessions"])] = odd();
    else if (keys.length > 0) {
      const key = pick(keys);
      copy[key] = mutate(copy[key], depth + 1);
    }
    return copy;
  };
  return { mutate, pick, random };
}

function fixtureInputs(): Record<string, unknown>[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith(".jsonl"))
    .flatMap((name) => readFileSync(join(FIXTURES, name), "utf8").split("\n"))
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line) as { input?: Record<string, unknown> })
    .flatMap((line) => (line.input ? [line.input] : []));
}

const SESSION = "fd8ef57f-6af7-4c02-b859-b979a6857f35";

function notice(id: string, status = "completed"): string {
  return `<task-notification>\n<task-id>${id}</task-id>\n<tool-use-id>toolu_${id}</tool-use-id>\n<output-file>/tmp/${id}.output</output-file>\n<status>${status}</status>\n<summary>Background command "job ${id}" ${status}</summary>\n<usage><total_tokens>12</total_tokens><tool_uses>1</tool_uses><duration_ms>30</duration_ms></usage>\n</task-notification>`;
}

/** A state with every part filled: launches, owed and delivered batches, the ledger, a running turn. */
function sampleState(): BgState {
  const state = createEmptyState(1000);
  const limits = { batchWindowMs: 1000, maxBatchSize: 2 };
  registerLaunch(
    state,
    SESSION,
    { id: "brun00001", kind: "shell", command: "sleep 9", toolUseId: "t1" },
    1000,
  );
  registerLaunch(
    state,
    SESSION,
    { id: "a0agent01", kind: "agent", model: "opus", agentType: "Explore" },
    1000,
  );
  for (const [i, status] of ["completed", "failed", "killed"].entries()) {
    const parsed = parseTaskNotification(notice(`bdone000${i}`, status));
    assert.ok(parsed);
    // Held through UserPromptSubmit: its item keeps the prompt that brought it.
    recordArrivedNotice(
      state,
      SESSION,
      parsed,
      `prompt-n${i}`,
      2000 + i,
      recorderFor(state, 2000 + i, limits),
    );
  }
  assert.ok(state.batches.every((b) => b.items.every((item) => item.promptId?.startsWith("prompt-n"))));
  claimBatches(state, 3000, limits, { parentSessionId: SESSION, force: false, via: "rewake", by: "test" });
  noteRunningTurn(state, SESSION, "prompt-1", 3500);
  noteHostVersion(state, SESSION, "2.1.332", 3600);
  stepAside(state, "other-session", "a reason", 3700);
  claimAsideLine(state, "other-session", 3800);
  return state;
}

test("hook input: the plain check and zod agree on mutated recorded inputs", () => {
  const inputs = fixtureInputs();
  const { mutate, pick, random } = mutator(1);
  let rejected = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const raw = JSON.stringify(random() < 0.1 ? pick(inputs) : mutate(pick(inputs)));
    const expected = hookInputSchema().safeParse(JSON.parse(raw));
    let actual: unknown;
    let error: unknown;
    try {
      actual = parseHookInput(raw);
    } catch (e) {
      error = e;
    }
    if (expected.success) {
      assert.equal(error, undefined, `rejected what zod accepts: ${raw.slice(0, 200)}`);
      assert.deepStrictEqual(actual, expected.data);
    } else {
      rejected++;
      assert.ok(error, `accepted what zod rejects: ${raw.slice(0, 200)}`);
    }
  }
  assert.ok(rejected > ROUNDS / 10 && rejected < ROUNDS, `both verdicts exercised (${rejected} rejected)`);
});

test("state.json: the plain check and zod agree on mutated states", () => {
  const samples = [sampleState(), createEmptyState(5)];
  const { mutate, pick, random } = mutator(2);
  let rejected = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const value = JSON.parse(JSON.stringify(random() < 0.1 ? pick(samples) : mutate(pick(samples))));
    const expected = stateSchema().safeParse(structuredClone(value));
    const actual = parseState(value);
    if (expected.success) {
      assert.ok(actual.ok, `rejected what zod accepts: ${JSON.stringify(value).slice(0, 300)}`);
      assert.deepStrictEqual(actual.state, expected.data);
    } else {
      rejected++;
      assert.ok(!actual.ok, `accepted what zod rejects: ${JSON.stringify(value).slice(0, 300)}`);
    }
  }
  assert.ok(rejected > ROUNDS / 10 && rejected < ROUNDS, `both verdicts exercised (${rejected} rejected)`);
});

test("config file: the plain check and zod agree on mutated files", () => {
  const samples = [
    {},
    { batchWindowMs: 500 },
    {
      $schema: "x",
      batchWindowMs: 0,
      maxBatchSize: 1000,
      mode: "summarize",
      modelConcurrency: { opus: 1, custom: 0 },
      defaultConcurrency: 2,
      staleTimeoutMs: 5,
      reconcileGraceMs: 0,
      taskTtlMs: 100,
      deliveredTtlMs: 100,
      resultExcerptChars: 5000,
    },
  ];
  const { mutate, pick } = mutator(3);
  let rejected = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const text = JSON.stringify(mutate(pick(samples)));
    const expected = fileSchema().safeParse(JSON.parse(text));
    const actual = resolveConfig(text, {});
    if (expected.success) {
      assert.deepEqual(actual.warnings, [], `warned about what zod accepts: ${text}`);
      const { $schema: _, modelConcurrency, ...rest } = expected.data;
      const want = { ...DEFAULT_CONFIG, ...rest, modelConcurrency: { ...DEFAULT_CONFIG.modelConcurrency } };
      Object.assign(want.modelConcurrency, modelConcurrency);
      assert.deepStrictEqual(actual.config, want);
    } else {
      rejected++;
      assert.equal(actual.warnings.length, 1, `no warning for what zod rejects: ${text}`);
    }
  }
  assert.ok(rejected > ROUNDS / 10 && rejected < ROUNDS, `both verdicts exercised (${rejected} rejected)`);
});

test("a burst of completions within the TTLs stays within the count bounds", () => {
  const state = createEmptyState(0);
  const limits = { batchWindowMs: 1000, maxBatchSize: 5 };
  const sizes: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const now = 1_000_000 + i * 50;
    const parsed = parseTaskNotification(notice(`b${i.toString(36).padStart(8, "0")}`));
    assert.ok(parsed);
    const outcome = recordNotice(state, SESSION, parsed, now, recorderFor(state, now, limits));
    if (outcome.kind === "queued" && outcome.batchFull)
      claimBatches(state, now, limits, { parentSessionId: SESSION, force: false, via: "rewake", by: "test" });
    // What every hook transaction does (src/hook-context.ts).
    if (exceedsRetention(state)) pruneState(state, now, DEFAULT_CONFIG);
    if (i % 500 === 499) sizes.push(JSON.stringify(state).length);
  }
  assert.equal(exceedsRetention(state), false);
  // Bounded: the size stops growing once the bounds are reached.
  assert.ok(Math.max(...sizes) < 40_000, `state grew to ${Math.max(...sizes)} bytes`);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) < 2_000, `sizes ${sizes.join(", ")}`);
  // Nothing owed was pruned: every batch left is either delivered or still owed with all its items.
  const owed = state.batches.filter((b) => b.deliveredAt === undefined);
  assert.ok(owed.every((b) => b.items.length > 0));
});
