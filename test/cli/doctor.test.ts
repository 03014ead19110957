// `bg-notify doctor`: passes on the real plugin, and names what is wrong (exit 1) for each kind of damage.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cleanEnv, copyPlugin, fakePlugin, hookCommand, runCli, tempDir } from "./helpers.ts";

interface DoctorJson {
  ok: boolean;
  checks: { name: string; status: "ok" | "warn" | "fail"; detail: string }[];
}

async function doctor(
  args: string[],
  env = cleanEnv(),
): Promise<{ code: number | null; report: DoctorJson }> {
  const result = await runCli(["doctor", "--json", ...args], { env });
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorJson };
}

const check = (report: DoctorJson, name: string) => report.checks.find((c) => c.name === name);

test("the shipped plugin with a fresh project passes every check (text and JSON)", async (t) => {
  const project = tempDir(t, "project");
  const text = await runCli(["doctor", "--project-dir", project]);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, /✓ node {13}v\d+\.\d+\.\d+ at \//);
  assert.match(text.stdout, /✓ hooks wiring/);
  assert.match(text.stdout, /all checks passed/);

  const { code, report } = await doctor(["--project-dir", project]);
  assert.equal(code, 0);
  assert.equal(report.ok, true);
  for (const name of ["node", "node for hooks", "state directory", "config", "hooks wiring", "versions"])
    assert.equal(check(report, name)?.status, "ok", name);
  assert.match(check(report, "state directory")?.detail ?? "", /not created yet/);
});

test("a bad config key is named, from the file and from the environment", async (t) => {
  const project = tempDir(t, "project");
  mkdirSync(join(project, ".claude"));
  writeFileSync(
    join(project, ".claude", "bg-notify.json"),
    JSON.stringify({ batchWindowMs: 500, batchWindw: 2 }),
  );
  const file = await doctor(["--project-dir", project]);
  assert.equal(file.code, 1);
  assert.equal(file.report.ok, false);
  assert.equal(check(file.report, "config")?.status, "fail");
  assert.match(check(file.report, "config")?.detail ?? "", /unknown key "batchWindw"/);

  writeFileSync(join(project, ".claude", "bg-notify.json"), JSON.stringify({ maxBatchSize: 0 }));
  const range = await doctor(["--project-dir", project]);
  assert.match(
    check(range.report, "config")?.detail ?? "",
    /key "maxBatchSize" is invalid \(must be at least 1\)/,
  );

  writeFileSync(join(project, ".claude", "bg-notify.json"), "{}");
  const env = await doctor(["--project-dir", project], cleanEnv({ BG_NOTIFY_MODE: "loud" }));
  assert.equal(env.code, 1);
  assert.match(check(env.report, "config")?.detail ?? "", /BG_NOTIFY_MODE="loud"/);
});

test("a stale lock and a damaged state file fail", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "state.json"), "garbage");
  mkdirSync(join(dir, "state.lock"));
  const old = (Date.now() - 60_000) / 1000;
  utimesSync(join(dir, "state.lock"), old, old);
  const { code, report } = await doctor(["--state-dir", dir]);
  assert.equal(code, 1);
  assert.equal(check(report, "state lock")?.status, "fail");
  assert.match(check(report, "state lock")?.detail ?? "", /stale/);
  assert.equal(check(report, "state file")?.status, "fail");
  assert.match(check(report, "state file")?.detail ?? "", /damaged/);
  assert.equal(check(report, "state directory")?.status, "ok");
});

test("hooks run through tsx or npx, or naming a missing dist/ file, fail the wiring check", async (t) => {
  const plugin = fakePlugin(
    tempDir(t, "plugin"),
    {
      UserPromptSubmit: [{ hooks: [hookCommand("user-prompt-submit.js")] }],
      Stop: [{ hooks: [{ type: "command", command: "npx", args: ["tsx", "src/entries/stop.ts"] }] }],
      SessionEnd: [{ hooks: [hookCommand("session-end.js")] }],
    },
    { "user-prompt-submit.js": "", "orphan.js": "" },
  );
  const { code, report } = await doctor(["--plugin-root", plugin]);
  assert.equal(code, 1);
  const wiring = check(report, "hooks wiring");
  assert.equal(wiring?.status, "fail");
  assert.match(
    wiring?.detail ?? "",
    /Stop → npx tsx src\/entries\/stop\.ts: runs through a TypeScript runner or npx/,
  );
  assert.match(wiring?.detail ?? "", /session-end\.js does not exist \(run `npm run build`\)/);
  assert.doesNotMatch(wiring?.detail ?? "", /user-prompt-submit/);
  assert.equal(check(report, "hook entries")?.status, "warn");
  assert.match(check(report, "hook entries")?.detail ?? "", /orphan\.js/);
});

test("plugin.json and package.json versions must agree; an unreadable hooks.json fails", async (t) => {
  const plugin = copyPlugin(tempDir(t, "plugin"));
  const manifest = join(plugin, ".claude-plugin", "plugin.json");
  writeFileSync(
    manifest,
    JSON.stringify({ ...JSON.parse(readFileSync(manifest, "utf8")), version: "9.9.9" }),
  );
  const versions = await doctor(["--plugin-root", plugin]);
  assert.equal(versions.code, 1);
  assert.match(
    check(versions.report, "versions")?.detail ?? "",
    /package\.json says \d+\.\d+\.\d+, \.claude-plugin\/plugin\.json says 9\.9\.9/,
  );
  assert.equal(check(versions.report, "hooks wiring")?.status, "ok", "the copy's wiring is intact");

  writeFileSync(join(plugin, "hooks", "hooks.json"), "{ nope");
  const broken = await doctor(["--plugin-root", plugin]);
  assert.equal(check(broken.report, "hooks.json")?.status, "fail");
});

test("no node on the PATH: doctor names the node the hooks' launcher finds elsewhere", async (t) => {
  const project = tempDir(t, "project");
  const { report } = await doctor(["--project-dir", project], cleanEnv({ PATH: project }));
  const hooks = check(report, "node for hooks");
  // This machine has a node in one of the places hooks/run looks (the launcher's own test hides them all).
  assert.equal(hooks?.status, "ok");
  assert.match(hooks?.detail ?? "", /found by hooks\/run; not on this PATH/);
});

test("a link or a lock the repository planted: doctor names the path, what it is, and the one fix", async (t) => {
  const cases: [string, (state: string, outside: string) => void, RegExp][] = [
    [
      "folded",
      (s, o) => symlinkSync(o, join(s, "folded")),
      /folded is a symbolic link to .*Fix: rm .*folded \(removes the link only\)/,
    ],
    [
      "journal",
      (s, o) => symlinkSync(join(o, ".bashrc"), join(s, "journal.jsonl")),
      /journal\.jsonl is a symbolic link to .*\.bashrc.*Fix: rm /,
    ],
    [
      "lock",
      (s) => {
        mkdirSync(join(s, "state.lock"));
        writeFileSync(join(s, "state.lock", ".gitkeep"), "");
      },
      /state\.lock is a directory with files in it.*Fix: rm -r .*state\.lock/,
    ],
  ];
  for (const [label, plant, expected] of cases) {
    const project = tempDir(t, "project");
    const outside = tempDir(t, "home");
    const state = join(project, ".claude", "bg-notify");
    mkdirSync(state, { recursive: true });
    plant(state, outside);
    const { code, report } = await doctor(["--project-dir", project]);
    assert.equal(code, 1, label);
    assert.equal(check(report, "state safety")?.status, "fail", label);
    assert.match(check(report, "state safety")?.detail ?? "", expected, label);
    assert.match(check(report, "state safety")?.detail ?? "", /every notice passes natively/, label);
  }
});

test("prompt hooks: the other UserPromptSubmit hooks of settings and enabled plugins, a warning for those that see notices", async (t) => {
  const home = tempDir(t, "home");
  const project = tempDir(t, "project");
  const pluginRoot = join(home, ".claude", "plugins", "cache", "m", "ctx-adder", "1.0.0");
  mkdirSync(join(pluginRoot, "hooks"), { recursive: true });
  writeFileSync(join(pluginRoot, "hooks", "add.sh"), "cat >/dev/null; echo '{}'\n");
  writeFileSync(
    join(pluginRoot, "hooks", "hooks.json"),
    JSON.stringify({
      hooks: {
        UserPromptSubmit: [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Claude Code expands it in the hook command
          { hooks: [{ type: "command", command: "sh ${CLAUDE_PLUGIN_ROOT}/hooks/add.sh" }] },
        ],
      },
    }),
  );
  writeFileSync(
    join(home, ".claude", "plugins", "installed_plugins.json"),
    JSON.stringify({ version: 2, plugins: { "ctx-adder@m": [{ scope: "user", installPath: pluginRoot }] } }),
  );
  const skipper = join(home, "skip.sh");
  writeFileSync(skipper, 'case "$(cat)" in *task-notification*) exit 0;; esac\n');
  writeFileSync(
    join(home, ".claude", "settings.json"),
    JSON.stringify({
      enabledPlugins: { "ctx-adder@m": true, "bg-notify@bg-notify": true },
      hooks: { UserPromptSubmit: [{ hooks: [{ type: "command", command: `sh ${skipper}` }] }] },
    }),
  );
  const env = cleanEnv({ HOME: home });
  const { code, report } = await doctor(["--project-dir", project], env);
  assert.equal(code, 0, "a warning fails nothing");
  const hooks = check(report, "prompt hooks");
  assert.equal(hooks?.status, "warn");
  assert.match(hooks?.detail ?? "", /^1 of 2 UserPromptSubmit hook\(s\) do not look like they skip/);
  assert.match(
    hooks?.detail ?? "",
    /plugin ctx-adder@m: sh \$\{CLAUDE_PLUGIN_ROOT\}\/hooks\/add\.sh \(sees them as prompts\)/,
  );
  assert.match(hooks?.detail ?? "", /settings\.json: sh \S+skip\.sh \(skips task notifications\)/);

  const none = await doctor(["--project-dir", project], cleanEnv({ HOME: tempDir(t, "empty-home") }));
  assert.deepEqual(check(none.report, "prompt hooks"), {
    name: "prompt hooks",
    status: "ok",
    detail: "none besides bg-notify's",
  });
});
