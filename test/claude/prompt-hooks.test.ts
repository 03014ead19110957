// Reading the other UserPromptSubmit hooks out of settings and plugin hooks.json, and guessing from their
// text whether they skip task notifications.
import assert from "node:assert/strict";
import { test } from "node:test";
import { enabledPlugins, installPaths, promptHooksOf } from "../../src/claude/prompt-hooks.ts";

const settings = {
  hooks: {
    UserPromptSubmit: [
      { hooks: [{ type: "command", command: "/home/u/log-prompt.sh" }] },
      {
        hooks: [
          { type: "command", command: "grep -q '<task-notification>' && exit 0; /home/u/guard.sh" },
          { type: "prompt", prompt: "is this safe?" },
        ],
      },
    ],
    Stop: [{ hooks: [{ type: "command", command: "/home/u/on-stop.sh" }] }],
  },
};

test("every UserPromptSubmit hook is listed with its source; only those naming task notifications skip them", () => {
  const scripts: Record<string, string> = {};
  const found = promptHooksOf(settings, "/home/u/.claude/settings.json", (c) => scripts[c]);
  assert.deepEqual(
    found.map((h) => [h.command, h.skipsNotices]),
    [
      ["/home/u/log-prompt.sh", false],
      ["grep -q '<task-notification>' && exit 0; /home/u/guard.sh", true],
      ["(a prompt hook)", false],
    ],
  );
  assert.ok(found.every((h) => h.source === "/home/u/.claude/settings.json"));
});

test("the script a command names is read: a notice check there counts", () => {
  const found = promptHooksOf(settings, "s", (c) =>
    c === "/home/u/log-prompt.sh" ? 'case "$p" in *"<task-notification>"*) exit 0;; esac' : undefined,
  );
  assert.equal(found[0]?.skipsNotices, true);
});

test("shapes that are not settings give nothing, never an error", () => {
  for (const odd of [undefined, null, 3, "x", [], { hooks: [] }, { hooks: { UserPromptSubmit: {} } }])
    assert.deepEqual(
      promptHooksOf(odd, "s", () => undefined),
      [],
    );
  assert.deepEqual(
    promptHooksOf({ hooks: { UserPromptSubmit: [null, { hooks: [7] }] } }, "s", () => undefined),
    [],
  );
});

test("enabled plugins: later settings win; install paths from installed_plugins.json", () => {
  assert.deepEqual(
    enabledPlugins([
      { enabledPlugins: { "a@m": true, "b@m": true } },
      undefined,
      { enabledPlugins: { "b@m": false, "c@m": true, "d@m": "yes" } },
    ]),
    ["a@m", "c@m"],
  );
  const paths = installPaths({
    version: 2,
    plugins: {
      "a@m": [{ scope: "user", installPath: "/p/a/1.0.0" }],
      "b@m": { installPath: "/p/b" },
      "c@m": [{}],
    },
  });
  assert.deepEqual(
    [...paths],
    [
      ["a@m", ["/p/a/1.0.0"]],
      ["b@m", ["/p/b"]],
    ],
  );
  assert.deepEqual([...installPaths("nope")], []);
});
