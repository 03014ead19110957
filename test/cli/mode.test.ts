// `bg-notify mode`: writes the project's config file keeping its other keys, and never through a link.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./helpers.ts";

test("mode off writes .claude/bg-notify.json, keeping the file's other keys", async (t) => {
  const project = tempDir(t, "project");
  const first = await runCli(["mode", "off", "--project-dir", project]);
  assert.equal(first.code, 0, first.stderr);
  const file = join(project, ".claude", "bg-notify.json");
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { mode: "off" });
  writeFileSync(file, '\uFEFF{"batchWindowMs": 2000, "mode": "off"}');
  const second = await runCli(["mode", "coalesce", "--project-dir", project]);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { batchWindowMs: 2000, mode: "coalesce" });
  assert.match(second.stdout, /^mode: coalesce/);
});

test("a .claude or a config file planted as a link is refused: nothing is written where it points", async (t) => {
  for (const plant of ["dir", "file"] as const) {
    const project = tempDir(t, "project");
    const elsewhere = tempDir(t, "elsewhere");
    if (plant === "dir") symlinkSync(elsewhere, join(project, ".claude"));
    else {
      mkdirSync(join(project, ".claude"));
      symlinkSync(join(elsewhere, "target.json"), join(project, ".claude", "bg-notify.json"));
    }
    const run = await runCli(["mode", "off", "--project-dir", project]);
    assert.equal(run.code, 1, plant);
    assert.match(run.stderr, /symbolic link/, plant);
    assert.deepEqual(readdirSync(elsewhere), [], `${plant}: nothing written through the link`);
  }
});

test("a config file that is not JSON is left as it is", async (t) => {
  const project = tempDir(t, "project");
  mkdirSync(join(project, ".claude"));
  const file = join(project, ".claude", "bg-notify.json");
  writeFileSync(file, "{ not json");
  const run = await runCli(["mode", "off", "--project-dir", project]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /not a JSON object; fix it first, nothing was changed/);
  assert.equal(readFileSync(file, "utf8"), "{ not json");
  assert.equal(existsSync(`${file}.tmp`), false);
});
