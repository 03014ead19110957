// `npm run demo` (scripts/demo.mjs): the README's main job. Its output must tell the story with the real
// numbers: three completions → three wake-ups without the plugin, → one with it, and the combined notice.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertNoColour, cleanEnv, DEMO, runNode } from "./helpers.ts";

test("the demo shows 3 completions → 3 wake-ups vs → 1 wake-up, and the combined notice", async () => {
  // Settings in the caller's shell must not change the demo's story.
  const env = cleanEnv({ BG_NOTIFY_BATCH_WINDOW_MS: "5", BG_NOTIFY_MODE: "off" });
  const result = await runNode([DEMO], { env });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  const out = result.stdout;
  assertNoColour(out);
  assert.match(out, /without bg-notify +with bg-notify/);
  assert.match(out, /^ {2}completions +3 +3$/m);
  assert.match(out, /^ {2}notices starting a turn +3 +0 \(3 held: in the conversation, no turn\)$/m);
  assert.match(
    out,
    /^ {2}the model reads +3 notices, one per request +3 notices \+ their summary, in one request$/m,
  );
  assert.match(out, /^ {2}parent wake-ups +3 +1$/m);
  assert.match(out, /3 completions → 3 wake-ups +3 completions → 1 wake-up$/m);
  // The wake-up times come from the recording: the three native notices, then one window after the first.
  assert.match(out, /woken at +1\.84 s, 2\.10 s, 2\.48 s +2\.84 s$/m);
  assert.match(
    out,
    /│ \[bg-notify\] 3 background tasks finished: 2 completed, 1 failed · none still running/,
  );
  assert.match(out, /│ 1\. \[FAILED\] job c \(shell, task bxykw8n2b, exit code 3/);
  assert.match(out, /│ 2\. \[completed\] job a \(shell, task bk0dces6s, exit code 0/);
  assert.match(out, /│ 3\. \[completed\] job b \(shell, task b8cwfvvai, exit code 0/);
  assert.match(out, /node dist\/cli\.js replay test\/fixtures\/three-background-shells\.jsonl/);
});
