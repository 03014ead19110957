// Configuration: defaults, then <project>/.claude/bg-notify.json, then environment variables; an invalid
// file gives one line naming the bad key and the defaults apply.
import assert from "node:assert/strict";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_CONFIG, resolveConfig } from "../../src/core/config.ts";
import { loadConfig } from "../../src/store/config-file.ts";
import { tempDir } from "../helpers.ts";

const defaults = {
  batchWindowMs: 1000,
  maxBatchSize: 5,
  mode: "coalesce",
  modelConcurrency: { haiku: 5, sonnet: 3, opus: 2 },
  defaultConcurrency: 3,
};

test("defaults", () => {
  const { config, warnings } = resolveConfig(undefined, {});
  assert.deepEqual(warnings, []);
  assert.deepEqual({ ...config, ...defaults }, config, "the documented defaults");
  assert.deepEqual(config, { ...DEFAULT_CONFIG, modelConcurrency: { ...DEFAULT_CONFIG.modelConcurrency } });
  // Each resolution gets its own copy: changing one must not leak into the next.
  config.modelConcurrency["opus"] = 99;
  assert.equal(resolveConfig(undefined, {}).config.modelConcurrency["opus"], 2);
  assert.deepEqual(resolveConfig("  \n", {}).warnings, [], "an empty file is no file");
});

test("the file overrides the defaults, merging model tiers", () => {
  const file = JSON.stringify({
    $schema: "./schema.json",
    batchWindowMs: 2500,
    maxBatchSize: 8,
    mode: "summarize",
    modelConcurrency: { opus: 1, mini: 4 },
    defaultConcurrency: 0,
  });
  const { config, warnings } = resolveConfig(file, {});
  assert.deepEqual(warnings, []);
  assert.equal(config.batchWindowMs, 2500);
  assert.equal(config.maxBatchSize, 8);
  assert.equal(config.mode, "summarize");
  assert.deepEqual(config.modelConcurrency, { haiku: 5, sonnet: 3, opus: 1, mini: 4 });
  assert.equal(config.defaultConcurrency, 0);
  assert.equal(config.staleTimeoutMs, DEFAULT_CONFIG.staleTimeoutMs);
});

test("environment variables override the file", () => {
  const file = JSON.stringify({ batchWindowMs: 2500, maxBatchSize: 8, mode: "summarize" });
  const env = { BG_NOTIFY_BATCH_WINDOW_MS: "300", BG_NOTIFY_MAX_BATCH_SIZE: "2", BG_NOTIFY_MODE: "off" };
  const { config, warnings } = resolveConfig(file, env);
  assert.deepEqual(warnings, []);
  assert.deepEqual([config.batchWindowMs, config.maxBatchSize, config.mode], [300, 2, "off"]);
  // Empty variables count as unset.
  const unset = resolveConfig(file, { BG_NOTIFY_BATCH_WINDOW_MS: "", BG_NOTIFY_MODE: "" });
  assert.deepEqual([unset.config.batchWindowMs, unset.config.mode], [2500, "summarize"]);
});

test("an invalid environment value gives one line naming the variable and is ignored", () => {
  for (const [name, value] of [
    ["BG_NOTIFY_BATCH_WINDOW_MS", "soon"],
    ["BG_NOTIFY_BATCH_WINDOW_MS", "-1"],
    ["BG_NOTIFY_MAX_BATCH_SIZE", "0"],
    ["BG_NOTIFY_MAX_BATCH_SIZE", "2.5"],
    ["BG_NOTIFY_MODE", "loud"],
  ] as const) {
    const { config, warnings } = resolveConfig(undefined, { [name]: value });
    assert.equal(warnings.length, 1, `${name}=${value}`);
    assert.match(warnings[0]!, new RegExp(name));
    assert.doesNotMatch(warnings[0]!, /\n/);
    assert.deepEqual([config.batchWindowMs, config.maxBatchSize, config.mode], [1000, 5, "coalesce"]);
  }
});

test("an invalid file gives ONE line naming the bad key; nothing of it applies and nothing is held", () => {
  const cases: [unknown, string][] = [
    [{ batchWindowMs: "fast" }, "batchWindowMs"],
    [{ batchWindowMs: 1.5 }, "batchWindowMs"],
    [{ batchWindowMs: 2000, maxBatchSize: 0 }, "maxBatchSize"],
    [{ mode: "loud", batchWindowMs: 2000 }, "mode"],
    [{ modelConcurrency: { opus: -1 } }, "modelConcurrency.opus"],
    [{ batchWindow: 2000 }, "batchWindow"],
    [{ maxBatchSize: 0, mode: "loud", extra: true }, ""],
  ];
  for (const [file, key] of cases) {
    const label = JSON.stringify(file);
    const { config, warnings } = resolveConfig(
      JSON.stringify(file),
      { BG_NOTIFY_MODE: "summarize" },
      "/p/bg.json",
    );
    assert.equal(warnings.length, 1, label);
    const line = warnings[0]!;
    assert.doesNotMatch(line, /\n/, label);
    assert.match(line, /\/p\/bg\.json/, label);
    if (key) assert.ok(line.includes(`"${key}"`), `${label}: ${line}`);
    assert.match(line, /every notice passes natively/, label);
    // Nothing from the invalid file applies; the environment still does (its mode wins).
    assert.equal(config.batchWindowMs, 1000, label);
    assert.equal(config.maxBatchSize, 5, label);
    assert.equal(config.mode, "summarize", label);
    assert.deepEqual(config.modelConcurrency, defaults.modelConcurrency, label);
  }
  for (const text of ["{ not json", "[1, 2]", "null", "42", '{"mode":"of"}', '{"mode":"off",}']) {
    const { config, warnings } = resolveConfig(text, {});
    assert.equal(warnings.length, 1, text);
    assert.doesNotMatch(warnings[0]!, /\n/, text);
    assert.equal(config.batchWindowMs, 1000, text);
    // The file may have asked for off: in doubt, nothing is held.
    assert.equal(config.mode, "off", text);
  }
});

test("a byte-order mark before the JSON is accepted", () => {
  const { config, warnings } = resolveConfig('\uFEFF{"mode":"off","batchWindowMs":3000}', {});
  assert.deepEqual(warnings, []);
  assert.deepEqual([config.mode, config.batchWindowMs], ["off", 3000]);
});

test("loadConfig reads <project>/.claude/bg-notify.json from CLAUDE_PROJECT_DIR, else the cwd", (t) => {
  const project = tempDir(t, "config");
  const elsewhere = tempDir(t, "config-cwd");
  assert.deepEqual(loadConfig({ env: { CLAUDE_PROJECT_DIR: project }, cwd: elsewhere }), {
    config: resolveConfig(undefined, {}).config,
    warnings: [],
  });
  mkdirSync(join(project, ".claude"));
  writeFileSync(join(project, ".claude", "bg-notify.json"), JSON.stringify({ batchWindowMs: 4000 }));
  assert.equal(
    loadConfig({ env: { CLAUDE_PROJECT_DIR: project }, cwd: elsewhere }).config.batchWindowMs,
    4000,
  );
  assert.equal(loadConfig({ env: {}, cwd: project }).config.batchWindowMs, 4000);
  assert.equal(loadConfig({ env: {}, cwd: elsewhere }).config.batchWindowMs, 1000);
  const env = { CLAUDE_PROJECT_DIR: project, BG_NOTIFY_BATCH_WINDOW_MS: "50" };
  assert.equal(loadConfig({ env }).config.batchWindowMs, 50);

  writeFileSync(join(project, ".claude", "bg-notify.json"), JSON.stringify({ maxBatchSize: "lots" }));
  const bad = loadConfig({ env: { CLAUDE_PROJECT_DIR: project } });
  assert.equal(bad.warnings.length, 1);
  assert.ok(bad.warnings[0]!.includes(join(project, ".claude", "bg-notify.json")));
  assert.ok(bad.warnings[0]!.includes('"maxBatchSize"'));
  assert.equal(bad.config.maxBatchSize, 5);
  assert.equal(bad.config.mode, "off");

  // A link is not read (a repository could point it at /dev/zero or a secret): off, said plainly.
  rmSync(join(project, ".claude", "bg-notify.json"));
  writeFileSync(join(elsewhere, "target.json"), JSON.stringify({ batchWindowMs: 4000 }));
  symlinkSync(join(elsewhere, "target.json"), join(project, ".claude", "bg-notify.json"));
  const linked = loadConfig({ env: { CLAUDE_PROJECT_DIR: project } });
  assert.equal(linked.config.mode, "off");
  assert.equal(linked.config.batchWindowMs, 1000);
  assert.equal(linked.warnings.length, 1);
  assert.match(linked.warnings[0]!, /symbolic link/);
});
