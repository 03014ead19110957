// The library as the design's callers use it: a plain-JS script over the shipped bundle (real timers,
// its own process), and the exact list of names the package exports.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { runNode } from "../spawn.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DIST = join(ROOT, "dist", "index.js");

test("a plain-JS caller written the design's way works unchanged against dist/index.js", async () => {
  const run = await runNode([join(import.meta.dirname, "design-caller.mjs"), DIST], { timeoutMs: 20_000 });
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.equal(run.stdout.match(/^ok \d+/gm)?.length, 8, run.stdout);
});

test("the package exports the design's names and the documented extras, nothing else", async () => {
  const lib = (await import(DIST)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(lib).sort(), [
    "BackgroundManager",
    "BgNotifyError",
    "ConcurrencyManager",
    "DurableNotifier",
    "NotificationManager",
    "clearBackgroundState",
    "createEmptyState",
    "createFileStore",
    "createHookEventBus",
    "createMemoryStore",
    "createNotificationManager",
    "formatBatchNotification",
    "getBackgroundManager",
    "isBgNotifyError",
    "loadBackgroundState",
    "resetBackgroundManager",
    "saveBackgroundState",
  ]);
});
