// A hook's entry runs its bundle from V8's code cache in the plugin's data directory: written by the
// first run (from an eager compile, so it serves every path), used by the next, rewritten when damaged,
// and never a reason for a hook to behave otherwise.
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";
import { runNode } from "../spawn.ts";
import { notice, notice as noticeOf, REPO_ROOT, tempProject } from "./hook-harness.ts";

test("the code cache: made by the first run, used by the next, rewritten when damaged; the same answers", async (t) => {
  const project = tempProject();
  t.after(project.cleanup);
  const data = join(project.dir, "plugin-data");
  const entry = join(REPO_ROOT, "dist", "hooks", "user-prompt-submit.js");
  const run = (i: number, extra: NodeJS.ProcessEnv = {}) => {
    const input = JSON.stringify({
      session_id: "5e55105e-0000-4000-8000-00000000c0de",
      transcript_path: "/tmp/x.jsonl",
      cwd: project.dir,
      hook_event_name: "UserPromptSubmit",
      prompt: notice(`bcache${i}`),
    });
    return runNode([entry], {
      env: {
        PATH: process.env["PATH"] ?? "",
        CLAUDE_PROJECT_DIR: project.dir,
        CLAUDE_PLUGIN_DATA: data,
        ...extra,
      },
      input,
    });
  };
  const cacheFiles = () => readdirSync(join(data, "code-cache"));
  const first = await run(1);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /"continue":false/);
  assert.equal(cacheFiles().length, 1);
  assert.match(cacheFiles()[0] ?? "", /^user-prompt-submit-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.bin$/);

  const second = await run(2);
  assert.equal(second.stdout, first.stdout);
  assert.equal(second.stderr, "");

  writeFileSync(join(data, "code-cache", cacheFiles()[0] as string), "not a code cache");
  const damaged = await run(3);
  assert.equal(damaged.stdout, first.stdout, "a rejected cache only means a compile");
  assert.ok(readdirSync(join(data, "code-cache")).length === 1);

  // A stale cache of another build is replaced; an unwritable directory changes nothing but speed.
  writeFileSync(join(data, "code-cache", "user-prompt-submit-0000000000000000-v1.0.0-x64.bin"), "old");
  writeFileSync(
    join(data, "code-cache", cacheFiles().find((f) => !f.includes("0000000000000000")) as string),
    "x",
  );
  await run(4);
  assert.equal(cacheFiles().length, 1, "the older build's cache is removed with the rewrite");
  const locked = join(project.dir, "locked-data");
  mkdirSync(locked);
  chmodSync(locked, 0o500);
  const unwritable = await run(5, { CLAUDE_PLUGIN_DATA: locked });
  assert.equal(unwritable.stdout, first.stdout);
  assert.equal(unwritable.stderr, "");
  const relative = await run(6, { CLAUDE_PLUGIN_DATA: "relative/dir" });
  assert.equal(relative.stdout, first.stdout);
});

test("the code cache holds every function of the bundle, whichever path the run that made it took", async (t) => {
  const project = tempProject();
  t.after(project.cleanup);
  const entry = join(REPO_ROOT, "dist", "hooks", "user-prompt-submit.js");
  // A cache of only what its first run compiled left every other path compiling lazily (0.5–1 ms a run).
  const cacheSize = async (name: string, input: string) => {
    const data = join(project.dir, name);
    const r = await runNode([entry], {
      env: { PATH: process.env["PATH"] ?? "", CLAUDE_PROJECT_DIR: project.dir, CLAUDE_PLUGIN_DATA: data },
      input,
    });
    assert.equal(r.code, 0, r.stderr);
    const [file] = readdirSync(join(data, "code-cache"));
    return statSync(join(data, "code-cache", file as string)).size;
  };
  const notice = JSON.stringify({
    session_id: "5e55105e-0000-4000-8000-00000000e4e1",
    transcript_path: "/tmp/x.jsonl",
    cwd: project.dir,
    hook_event_name: "UserPromptSubmit",
    prompt: noticeOf("beager1"),
  });
  const afterNotice = await cacheSize("data-notice", notice);
  const afterBadInput = await cacheSize("data-bad", "not json");
  // (A few bytes may differ: what the run itself interned.)
  assert.ok(
    Math.abs(afterBadInput - afterNotice) < afterNotice * 0.01,
    `a run that stops at its input makes the same cache (${afterBadInput} vs ${afterNotice} bytes)`,
  );
  // A user's own choice of the flag is left alone: the cache is then made as that node compiles.
  const own = join(project.dir, "data-own");
  const r = await runNode(["--lazy", entry], {
    env: { PATH: process.env["PATH"] ?? "", CLAUDE_PROJECT_DIR: project.dir, CLAUDE_PLUGIN_DATA: own },
    input: "not json",
  });
  assert.equal(r.code, 0, r.stderr);
  const lazy = statSync(join(own, "code-cache", readdirSync(join(own, "code-cache"))[0] as string)).size;
  assert.ok(
    lazy < afterNotice * 0.8,
    `a lazy cache of that run holds less (${lazy} vs ${afterNotice} bytes)`,
  );
});
