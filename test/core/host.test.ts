// The Claude Code a session runs on, and stepping aside for it: versions compared, the first reason
// kept, the line claimed once, the records pruned and kept valid.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  asideOf,
  claimAsideLine,
  HOSTS_KEEP,
  isAtLeast,
  MIN_CLAUDE_CODE,
  needsHostVersion,
  noteHostVersion,
  pruneHosts,
  stepAside,
} from "../../src/core/host.ts";
import { createEmptyState, parseState } from "../../src/core/state.ts";

test("versions compare by number, not by text", () => {
  assert.equal(isAtLeast("2.1.329", "2.1.329"), true);
  assert.equal(isAtLeast("2.1.1000", "2.1.329"), true);
  assert.equal(isAtLeast("2.2.0", "2.1.329"), true);
  assert.equal(isAtLeast("2.1.99", "2.1.329"), false);
  assert.equal(isAtLeast("1.9.999", "2.1.329"), false);
  assert.equal(isAtLeast("2.1.332 (Claude Code)"), true, "as `claude --version` prints it");
  assert.equal(isAtLeast("not a version"), false);
});

test("an older Claude Code makes bg-notify step aside; a newer one is only noted", () => {
  const state = createEmptyState();
  assert.equal(needsHostVersion(state, "s1"), true);
  noteHostVersion(state, "s1", MIN_CLAUDE_CODE, 1);
  assert.equal(needsHostVersion(state, "s1"), false);
  assert.equal(asideOf(state, "s1"), undefined);
  noteHostVersion(state, "s2", "2.1.200", 2);
  assert.match(asideOf(state, "s2") ?? "", /2\.1\.200 is older than/);
  noteHostVersion(state, "s3", "garbage", 3);
  assert.equal(needsHostVersion(state, "s3"), true, "nothing learnt from no version");
});

test("the first reason is kept, and the line is claimed once", () => {
  const state = createEmptyState();
  assert.equal(claimAsideLine(state, "s1", 1), undefined, "nothing to say while it holds");
  stepAside(state, "s1", "first reason", 1);
  stepAside(state, "s1", "second reason", 2);
  assert.equal(asideOf(state, "s1"), "first reason");
  assert.match(claimAsideLine(state, "s1", 3) ?? "", /steps aside for this session: first reason\./);
  assert.equal(claimAsideLine(state, "s1", 4), undefined);
  assert.equal(asideOf(state, "s2"), undefined, "per session");
});

test("host records survive a round trip through the state file and are pruned to the newest", () => {
  const state = createEmptyState();
  for (let i = 0; i < HOSTS_KEEP + 5; i++) noteHostVersion(state, `s${i}`, "2.1.332", 1_000 + i);
  stepAside(state, "s1", "why", 1_000);
  const parsed = parseState(JSON.parse(JSON.stringify(state)));
  assert.ok(parsed.ok);
  if (parsed.ok) assert.equal(asideOf(parsed.state, "s1"), "why");
  pruneHosts(state, 2_000);
  assert.equal(Object.keys(state.hosts ?? {}).length, HOSTS_KEEP);
  assert.equal(state.hosts?.["s0"], undefined, "the oldest goes first");
  pruneHosts(state, 1_000 + 8 * 24 * 3600 * 1000);
  assert.equal(state.hosts, undefined, "a week later none is left");
});
