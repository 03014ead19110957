// The plugin's fold of what hooks/run queues (launches, typed prompts' turns), through the store: reads
// see them, the next transaction folds them into the state, and they leave the inbox once it commits.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { taskKey } from "../../src/core/state.ts";
import type { BgState } from "../../src/core/types.ts";
import { QUEUED_INPUTS } from "../../src/plugin/inbox-fold.ts";
import { createFileStore } from "../../src/store/file-store.ts";
import { FOLDED_DIR, INBOX_DIR, STATE_FILE } from "../../src/store/paths.ts";
import { QUIET_FLAGS } from "../../src/store/quiet-flags.ts";
import { withLockedState } from "../../src/store/transaction.ts";
import { finishedTask, tempDir } from "../helpers.ts";

/** The plugin's stores fold what hooks/run queued; the library's leave it. */
const FOLDS = { inbox: QUEUED_INPUTS };
const foldingStore = (dir: string) => createFileStore({ dir, ...FOLDS });

const PARENT = "fd8ef57f-6af7-4c02-b859-b979a6857f35";

/** A background Bash launch as Claude Code hands it to PostToolUse (compact, as hooks/run reads it). */
function launchInput(taskId: string, toolUseId: string, durationMs = 18): string {
  return JSON.stringify({
    session_id: PARENT,
    transcript_path: `/tmp/${PARENT}.jsonl`,
    cwd: "/tmp",
    prompt_id: "6b5057bf-b806-4a39-9ebb-eb065660817f",
    hook_event_name: "PostToolUse",
    tool_name: "Bash",
    tool_input: { command: `sleep 1; echo ${taskId}`, description: `job ${taskId}`, run_in_background: true },
    tool_response: { stdout: "", stderr: "", interrupted: false, backgroundTaskId: taskId },
    tool_use_id: toolUseId,
    duration_ms: durationMs,
  });
}

/** What hooks/run leaves: `<tool_use_id>.json`, the input and a newline, timed by its write. */
function queue(dir: string, name: string, text: string, at: number): string {
  mkdirSync(join(dir, INBOX_DIR), { recursive: true });
  const path = join(dir, INBOX_DIR, name);
  writeFileSync(path, `${text}\n`);
  utimesSync(path, at / 1000, at / 1000);
  return path;
}

function onDisk(dir: string): BgState {
  return JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8")) as BgState;
}

test("a queued launch is seen by reads, folded in by the next transaction, then moved aside and tidied", async (t) => {
  const dir = tempDir(t, "inbox");
  await withLockedState(dir, (state) => {
    state.tasks[taskKey(PARENT, "old")] = finishedTask("old", PARENT);
  });
  assert.ok(existsSync(join(dir, QUIET_FLAGS.nothingRunning)));
  const at = Date.now() - 5000;
  queue(dir, "toolu_01.json", launchInput("bk1", "toolu_01", 18), at);
  const store = foldingStore(dir);

  const seen = (await store.read()).tasks[taskKey(PARENT, "bk1")];
  assert.equal(seen?.status, "running");
  assert.equal(seen?.startedAt, at - 18, "the launch began duration_ms before its file was written");
  assert.equal(seen?.turnId, "6b5057bf-b806-4a39-9ebb-eb065660817f");
  assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bk1")], undefined, "a read changes nothing");
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), ["toolu_01.json"]);

  await store.transact(() => undefined);
  const committed = onDisk(dir);
  assert.equal(committed.tasks[taskKey(PARENT, "bk1")]?.status, "running");
  assert.equal(committed.tasks[taskKey(PARENT, "bk1")]?.concurrencyKey, "shell");
  assert.equal(committed.sessions?.[PARENT]?.promptId, "6b5057bf-b806-4a39-9ebb-eb065660817f");
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), [], "out of the inbox once committed");
  assert.deepEqual(readdirSync(join(dir, FOLDED_DIR)), ["toolu_01.json"], "moved aside, not removed");
  assert.ok(!existsSync(join(dir, QUIET_FLAGS.nothingRunning)), "something runs now");

  // What was moved aside is never read again: a process that has not parsed it sees the state alone.
  writeFileSync(join(dir, FOLDED_DIR, "toolu_02.json"), `${launchInput("bk2", "toolu_02")}\n`);
  const fresh = foldingStore(dir);
  await fresh.transact((state) => {
    delete state.tasks[taskKey(PARENT, "bk1")];
  });
  const later = await foldingStore(dir).read();
  assert.equal(later.tasks[taskKey(PARENT, "bk1")], undefined, "not folded again");
  assert.equal(later.tasks[taskKey(PARENT, "bk2")], undefined);
  fresh.tidy?.();
  assert.deepEqual(readdirSync(join(dir, FOLDED_DIR)), [], "tidied");
  fresh.tidy?.();
  assert.deepEqual([...store.warnings, ...fresh.warnings], []);
});

test("a launch queued again after its completion was recorded leaves the completion as it is", async (t) => {
  const dir = tempDir(t, "inbox");
  await withLockedState(dir, (state) => {
    state.tasks[taskKey(PARENT, "bk1")] = finishedTask("bk1", PARENT);
  });
  queue(dir, "toolu_01.json", launchInput("bk1", "toolu_01"), Date.now());
  await withLockedState(dir, () => undefined, FOLDS);
  assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bk1")]?.status, "completed");
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), []);
});

test("launches are folded oldest first; an old entry that is no launch is dropped with one warning", async (t) => {
  const dir = tempDir(t, "inbox");
  const now = Date.now();
  queue(dir, "toolu_b.json", launchInput("bkb", "toolu_b"), now - 1000);
  queue(dir, "toolu_a.json", launchInput("bka", "toolu_a"), now - 2000);
  queue(dir, "toolu_bad.json", '{"hook_event_name":"PostToolUse","tool_name":"Bash"', now - 20_000);
  const foreground = launchInput("bkf", "toolu_fg").replace('"backgroundTaskId":"bkf"', '"x":1');
  queue(dir, "toolu_fg.json", foreground, now - 20_000);
  const store = foldingStore(dir);
  await store.transact(() => undefined);
  const state = onDisk(dir);
  assert.deepEqual(
    Object.values(state.tasks).map((task) => task.id),
    ["bka", "bkb"],
  );
  assert.equal(store.warnings.length, 2);
  for (const warning of store.warnings)
    assert.match(warning, /^bg-notify: dropped .*toolu_(bad|fg)\.json: not an input hooks\/run queues$/);
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), []);
});

/** A typed prompt as Claude Code hands it to UserPromptSubmit, queued by hooks/run as `prompt-<prompt_id>.json`. */
function promptInput(promptId: string, prompt = "how are the builds going?"): string {
  return JSON.stringify({
    session_id: PARENT,
    transcript_path: `/tmp/${PARENT}.jsonl`,
    cwd: "/tmp",
    prompt_id: promptId,
    permission_mode: "default",
    hook_event_name: "UserPromptSubmit",
    prompt,
  });
}

test("a queued prompt notes its turn as of its file, after the launches before it; never an older turn", async (t) => {
  const dir = tempDir(t, "inbox");
  const now = Date.now();
  await withLockedState(dir, () => undefined, FOLDS);
  queue(dir, "toolu_01.json", launchInput("bk1", "toolu_01"), now - 3000);
  queue(dir, "prompt-p2.json", promptInput("p2"), now - 2000);
  const store = foldingStore(dir);
  const seen = await store.read();
  assert.deepEqual(seen.sessions?.[PARENT], { promptId: "p2", at: now - 2000 }, "reads see it");
  await store.transact(() => undefined);
  assert.deepEqual(onDisk(dir).sessions?.[PARENT], { promptId: "p2", at: now - 2000 });
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), []);

  // Folded after a later turn was noted (its file was written just after a hook read the inbox).
  await store.transact((state) => {
    state.sessions = { [PARENT]: { promptId: "p4", at: now - 500 } };
  });
  queue(dir, "prompt-p3.json", promptInput("p3"), now - 1000);
  await store.transact(() => undefined);
  assert.equal(onDisk(dir).sessions?.[PARENT]?.promptId, "p4");
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), [], "done with, though it changed nothing");
});

test("a queued prompt notes no turn when nothing runs, and one that mentions a notice is not ours", async (t) => {
  const dir = tempDir(t, "inbox");
  const now = Date.now();
  await withLockedState(dir, (state) => {
    state.tasks[taskKey(PARENT, "old")] = finishedTask("old", PARENT);
  });
  queue(dir, "prompt-p1.json", promptInput("p1"), now - 1000);
  queue(dir, "prompt-p2.json", promptInput("p2", "<task-notification>x</task-notification>"), now - 20_000);
  const store = foldingStore(dir);
  await store.transact(() => undefined);
  assert.equal(onDisk(dir).sessions?.[PARENT], undefined);
  assert.equal(store.warnings.length, 1);
  assert.match(store.warnings[0] ?? "", /prompt-p2\.json: not an input hooks\/run queues$/);
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), []);
});

test("an entry still being written (no whole JSON yet) is left alone, then folded once complete", async (t) => {
  const dir = tempDir(t, "inbox");
  const text = launchInput("bkw", "toolu_w");
  const path = queue(dir, "toolu_w.json", text.slice(0, 120), Date.now());
  const store = foldingStore(dir);
  await store.transact((state) => {
    state.tasks[taskKey(PARENT, "other")] = finishedTask("other", PARENT);
  });
  assert.ok(existsSync(path), "not taken");
  assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bkw")], undefined);
  assert.deepEqual(store.warnings, []);
  writeFileSync(path, `${text}\n`);
  await store.transact(() => undefined);
  assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bkw")]?.status, "running");
  assert.ok(!existsSync(path));
});

test("a process reads each complete entry once: its later reads and its transaction use that parse", async (t) => {
  const dir = tempDir(t, "inbox");
  const at = Date.now() - 2000;
  const path = queue(dir, "toolu_once.json", launchInput("bko", "toolu_once"), at);
  const store = foldingStore(dir);
  assert.equal((await store.read()).tasks[taskKey(PARENT, "bko")]?.status, "running");
  // An entry never changes once whole: were it read or stat'ed again, the launch would be gone.
  writeFileSync(path, "{}\n");
  assert.equal((await store.read()).tasks[taskKey(PARENT, "bko")]?.startedAt, at - 18);
  await store.transact(() => undefined);
  assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bko")]?.status, "running");
  assert.deepEqual(store.warnings, []);
  assert.ok(!existsSync(path), "removed once folded, as ever");
});

test("a claim held open removes what it folded only when settled; abandoned, the entries stay", async (t) => {
  for (const ending of ["commitHeld", "abandon"] as const) {
    const dir = tempDir(t, "inbox");
    await withLockedState(dir, (state) => {
      const task = finishedTask("done", PARENT);
      state.batches.push({
        id: "batch-1",
        parentSessionId: PARENT,
        openedAt: 1,
        items: [{ key: "k1", recordedAt: 1, task }],
      });
    });
    queue(dir, "toolu_01.json", launchInput("bk1", "toolu_01"), Date.now());
    const store = foldingStore(dir);
    store.holdClaims?.();
    await store.transact((state) => {
      const batch = state.batches[0];
      if (batch) {
        batch.deliveredAt = Date.now();
        batch.deliveredVia = "rewake";
      }
    });
    assert.deepEqual(
      readdirSync(join(dir, INBOX_DIR)),
      ["toolu_01.json"],
      `${ending}: held, not yet removed`,
    );
    if (ending === "commitHeld") {
      assert.deepEqual(store.commitHeld?.(), { ok: true, committed: true });
      assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), []);
      assert.deepEqual(readdirSync(join(dir, FOLDED_DIR)), ["toolu_01.json"]);
      assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bk1")]?.status, "running");
    } else {
      store.abandon?.();
      assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), ["toolu_01.json"]);
      assert.equal(existsSync(join(dir, FOLDED_DIR)), false);
      assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bk1")], undefined);
      await withLockedState(dir, () => undefined, FOLDS);
      assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bk1")]?.status, "running", "the next one folds it");
    }
  }
});

test("a store without the plugin's fold (the library's) leaves the inbox to the next hook", async (t) => {
  const dir = tempDir(t, "inbox");
  queue(dir, "toolu_01.json", launchInput("bk1", "toolu_01"), Date.now() - 1000);
  const library = createFileStore({ dir });
  assert.equal((await library.read()).tasks[taskKey(PARENT, "bk1")], undefined);
  await library.transact((state) => {
    state.tasks[taskKey(PARENT, "old")] = finishedTask("old", PARENT);
  });
  assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bk1")], undefined);
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), ["toolu_01.json"], "still queued");
  await foldingStore(dir).transact(() => undefined);
  assert.equal(onDisk(dir).tasks[taskKey(PARENT, "bk1")]?.status, "running");
  assert.deepEqual(readdirSync(join(dir, INBOX_DIR)), []);
});
