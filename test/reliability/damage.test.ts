// State damage: truncated, garbage, empty, wrong-schema and future-version state.json; a read-only state
// directory; a full disk. Hooks exit 0 with one clear line, never a stack trace, and what was owed is
// rebuilt from the journal (or simply stays owed) instead of being silently dropped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DAMAGE, damagedState, type EnvironmentResult, fullDisk, readOnlyDir } from "./damage-scenarios.ts";

for (const kind of Object.keys(DAMAGE)) {
  test(`${kind} state.json: one warning, quarantined, owed completions recovered from the journal`, async () => {
    const r = await damagedState(kind);
    assert.ok(r.hook.clean, "exit 0, stdout JSON, no stack trace");
    assert.equal(r.hook.exitCode, 0);
    assert.equal(r.hook.warningLines.length, 1, r.hook.warningLines.join("\n"));
    assert.match(
      r.hook.warningLines[0] ?? "",
      /state\.json was damaged .*copied it to .*state\.corrupt-.*recovered/,
    );
    assert.equal(r.quarantined, 1);
    assert.deepEqual([...r.recovered].sort(), ["t1", "t2"], "owed completions were dropped");
    assert.deepEqual(r.redelivered, [], "a completion delivered before the damage was told again");
    assert.ok(r.stateValidAfter);
  });
}

function assertSurvived(r: EnvironmentResult, pattern: RegExp): void {
  for (const h of r.hooks) {
    assert.ok(h.clean, `${h.hook}: exit ${h.exitCode}, stdout JSON, no stack trace`);
    assert.notEqual(h.exitCode, 2, `${h.hook} exited 2`);
    assert.ok(h.warningLines.length <= 1, `${h.hook}: ${h.warningLines.join(" | ")}`);
    for (const line of h.warningLines) assert.doesNotMatch(line, /\bat .+:\d+:\d+/);
  }
  const noticeHook = r.hooks[0];
  assert.equal(noticeHook?.warningLines.length, 1, "the passing notice says why, in one line");
  assert.match(noticeHook?.warningLines[0] ?? "", pattern);
  assert.ok(r.noticePassed, "a notice that could not be recorded must not be blocked");
  assert.deepEqual([...r.owedDelivered].sort(), ["t1", "t2"], "owed before: delivered exactly once after");
  assert.equal(r.leftoverTempFiles, 0);
}

test("read-only state directory: every hook exits 0 with one line; the notice passes; nothing owed is lost", async (t) => {
  const r = await readOnlyDir();
  if (r.method.startsWith("skipped")) return t.skip(r.method);
  t.diagnostic(`made read-only by ${r.method}`);
  assertSurvived(r, /could not record task t3 .*(EROFS|EACCES).*passes through/);
});

test("full disk (1 MB tmpfs, filled): every hook exits 0 with one line; a failed claim stays owed", async (t) => {
  const r = await fullDisk();
  if (r.method.startsWith("skipped")) return t.skip(r.method);
  assertSurvived(r, /could not record task t3 .*ENOSPC.*passes through/);
  const deliverers = r.hooks.filter((h) => h.hook === "post-tool-use" || h.hook === "stop");
  for (const h of deliverers)
    assert.deepEqual(h.delivered, [], `${h.hook} printed a batch it could not commit`);
});
