// What ships: hooks.json runs plain `node` on committed bundles, and those bundles work from a copy of
// the plugin that has no node_modules anywhere above it (Claude Code installs no dependencies).
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { replay } from "../../src/replay/engine.ts";
import { loadHookCommands } from "../../src/replay/hooks-file.ts";
import { loadFixture, REPO_ROOT } from "./hook-harness.ts";

test("hooks.json: every hook is the launcher on an existing dist/ bundle with an explicit timeout", () => {
  const raw = readFileSync(join(REPO_ROOT, "hooks", "hooks.json"), "utf8");
  assert.doesNotMatch(
    raw,
    /\btsx\b|\bnpx\b|\.ts"/,
    "never tsx, npx or TypeScript sources on the user's critical path",
  );
  const parsed = JSON.parse(raw) as { hooks: Record<string, { hooks: { timeout?: number }[] }[]> };
  for (const groups of Object.values(parsed.hooks)) {
    for (const group of groups)
      for (const hook of group.hooks) assert.ok(typeof hook.timeout === "number" && hook.timeout > 0);
  }
  const commands = loadHookCommands(REPO_ROOT);
  assert.ok(commands.length >= 9);
  for (const command of commands) {
    assert.equal(command.command, "sh");
    assert.equal(command.args[0], join(REPO_ROOT, "hooks", "run"));
    const script = command.bundle;
    assert.ok(script?.startsWith(join(REPO_ROOT, "dist")), `${command.event} runs a dist/ bundle`);
    assert.ok(script && existsSync(script), `${script} exists`);
  }
  const events = new Set(commands.map((c) => c.event));
  for (const event of [
    "UserPromptSubmit",
    "PreToolUse",
    "PostToolUse",
    "SubagentStart",
    "SubagentStop",
    "Stop",
    "SessionStart",
    "SessionEnd",
  ]) {
    assert.ok(events.has(event), `${event} is wired`);
  }
  assert.equal(
    commands.filter((c) => c.event === "UserPromptSubmit" && c.async).length,
    1,
    "one asyncRewake timer",
  );
});

test("plugin manifest and package agree", () => {
  const plugin = JSON.parse(readFileSync(join(REPO_ROOT, ".claude-plugin", "plugin.json"), "utf8"));
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
  const market = JSON.parse(readFileSync(join(REPO_ROOT, ".claude-plugin", "marketplace.json"), "utf8"));
  assert.equal(plugin.name, "bg-notify");
  assert.equal(plugin.version, pkg.version);
  assert.equal(market.plugins[0].name, "bg-notify");
  assert.equal(market.plugins[0].version, pkg.version);
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], "all libraries are devDependencies");
});

test("the bundles run from a copy of the plugin with no node_modules", async () => {
  const root = mkdtempSync(join(tmpdir(), "bg-notify-plugin-copy-"));
  try {
    const plugin = join(root, "bg-notify");
    for (const part of ["hooks", "dist", ".claude-plugin"])
      cpSync(join(REPO_ROOT, part), join(plugin, part), { recursive: true });
    assert.equal(existsSync(join(plugin, "node_modules")), false);
    const report = await replay(loadFixture("three-background-shells.jsonl"), {
      pluginRoot: plugin,
      stateDir: join(root, "state"),
      projectDir: root,
      // Real time: compressed, a busy machine (the whole suite at once) let SessionEnd overtake the last
      // rewake, and without a transcript to show what the wake-ups carried it owes them again.
      speed: 1,
      env: { NODE_PATH: "" },
    });
    const failures = report.events.flatMap((e) => e.runs).filter((r) => r.stderr.trim() !== "");
    assert.deepEqual(
      failures.map((r) => `${r.handler}: ${r.stderr}`).filter((s) => !s.includes("[bg-notify]")),
      [],
    );
    const ids = ["bk0dces6s", "b8cwfvvai", "bxykw8n2b"];
    // A notice that arrives with a wake-up already on its way passes (Claude Code tells it).
    const passed = report.events
      .filter((e) => ids.some((id) => e.summary.includes(id)))
      .flatMap((e) =>
        e.runs
          .filter(
            (r) => r.handler === "user-prompt-submit.js" && !String(r.stdout).includes('"continue":false'),
          )
          .map(() => ids.find((id) => e.summary.includes(id)) as string),
      );
    assert.equal(report.blockedNotices + passed.length, 3);
    const told = [
      ...report.deliveries.flatMap((d) => ids.filter((id) => d.text.includes(`task ${id}`))),
      ...passed,
    ];
    assert.deepEqual(
      told.sort(),
      ["b8cwfvvai", "bk0dces6s", "bxykw8n2b"],
      "each completion told exactly once",
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
