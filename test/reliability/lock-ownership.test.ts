// The lock's ownership against pauses and clocks, with real processes: a holder stopped right before its
// rename, on ext4 with and without birth times; processes whose clock is 5 s off the file system's; a
// lock stamped in the future by a dead holder. Nothing recorded may be lost.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LOCK_STALE_MS } from "../../src/store/lock.ts";
import { LOCK_DIR } from "../../src/store/paths.ts";
import { startNode } from "../spawn.ts";
import {
  hookEnv,
  noticePrompt,
  promptInput,
  reception,
  runHookOnce,
  sleep,
  startHook,
  stopInput,
  type TempTree,
  tempTree,
} from "./harness.ts";
import { startHelper } from "./lock-scenarios.ts";

const PRELOAD = new URL("./preload/", import.meta.url).pathname;
const SESSION = "s-own";

function recordedTasks(stateDir: string): string[] {
  const state = JSON.parse(readFileSync(join(stateDir, "state.json"), "utf8")) as {
    batches: { items: { task: { id: string } }[] }[];
  };
  return state.batches.flatMap((b) => b.items.map((i) => i.task.id)).sort();
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  for (const started = Date.now(); !check(); await sleep(20))
    assert.ok(Date.now() - started < ms, `timed out waiting for ${what}`);
}

/**
 * t1's hook is stopped right before its rename and stays stopped past the stale time; t2's hook takes the
 * lock over and commits; then t1's hook goes on (or is killed right after its rename, `killAfter`).
 */
async function stoppedBeforeRename(tree: TempTree, killAfter: boolean): Promise<string[]> {
  const marker = join(tree.root, "stopped");
  const env = hookEnv(tree);
  const first = startHook(
    "user-prompt-submit",
    JSON.stringify(promptInput(SESSION, noticePrompt("t1"))),
    { ...env, BG_NOTIFY_TEST_STOPPED: marker, ...(killAfter ? { BG_NOTIFY_TEST_KILL_AFTER: "1" } : {}) },
    ["--import", join(PRELOAD, "stop-before-rename.mjs")],
  );
  await until(() => existsSync(marker), "the first hook to stop before its rename");
  // A fresh stamp may be up to a second ahead (proper-lockfile rounds its first one up).
  await sleep(LOCK_STALE_MS + 1500);
  const second = await runHookOnce("user-prompt-submit", promptInput(SESSION, noticePrompt("t2")), env);
  assert.equal(second.exitCode, 0, second.stderr);
  assert.equal(reception(second).kind, "blocked", "the successor took the stale lock and held its notice");
  assert.deepEqual(recordedTasks(tree.stateDir), ["t2"]);
  first.child.kill("SIGCONT");
  const resumed = await first.done;
  if (killAfter) assert.equal(resumed.signal, "SIGKILL");
  else {
    assert.equal(resumed.exitCode, 0, resumed.stderr);
    assert.equal(reception(resumed).kind, "blocked");
  }
  if (killAfter) {
    // The state on disk is the stopped hook's alone; the next hook's load puts t2 back.
    assert.deepEqual(recordedTasks(tree.stateDir), ["t1"]);
    const next = await runHookOnce("stop", stopInput(SESSION), env);
    assert.equal(next.exitCode, 0, next.stderr);
  }
  return recordedTasks(tree.stateDir);
}

test("a holder stopped right before its rename past the stale time, then resumed, loses nothing", async (t) => {
  const tree = tempTree();
  t.after(tree.cleanup);
  assert.deepEqual(await stoppedBeforeRename(tree, false), ["t1", "t2"]);
});

test("…and killed right after that rename: the next hook's load puts the successor's record back", async (t) => {
  const tree = tempTree();
  t.after(tree.cleanup);
  assert.deepEqual(await stoppedBeforeRename(tree, true), ["t1", "t2"]);
});

test("the same on ext4 without birth times (128-byte inodes, whole-second stamps)", async (t) => {
  const image = join(tmpdir(), `bg-notify-e128-${process.pid}.img`);
  const mount = mkdtempSync(join(tmpdir(), "bg-notify-e128-"));
  const sh = (cmd: string) => spawnSync("sh", ["-c", cmd], { encoding: "utf8" });
  const made =
    process.getuid?.() === 0 &&
    sh(
      `dd if=/dev/zero of=${image} bs=1M count=16 status=none && mkfs.ext4 -q -F -I 128 ${image} 2>/dev/null`,
    ).status === 0 &&
    sh(`mount -o loop ${image} ${mount}`).status === 0;
  t.after(() => {
    sh(`umount ${mount}`);
    rmSync(image, { force: true });
    rmSync(mount, { recursive: true, force: true });
  });
  if (!made) {
    t.skip("needs root, mkfs.ext4 and a loop mount");
    t.diagnostic("skipped: a loop-mounted ext4 -I 128 needs root, mkfs.ext4 and loop devices");
    return;
  }
  const root = join(mount, "tree");
  const tree: TempTree = {
    root,
    project: join(root, "project"),
    stateDir: join(root, "project", ".claude", "bg-notify"),
    cleanup: () => undefined,
  };
  mkdirSync(tree.project, { recursive: true });
  assert.deepEqual(await stoppedBeforeRename(tree, false), ["t1", "t2"]);
});

/** A child that takes the lock and keeps it `ms` while its event loop turns (the lock is kept fresh). */
function holdInChild(dir: string, ms: number, env: NodeJS.ProcessEnv = process.env, preload: string[] = []) {
  const lockModule = new URL("../../src/store/lock.ts", import.meta.url).pathname;
  const script =
    `import { acquireLock } from ${JSON.stringify(lockModule)};\n` +
    `const held = await acquireLock(${JSON.stringify(dir)}, {});\n` +
    `process.stdout.write("locked\\n");\n` +
    `await new Promise((r) => setTimeout(r, ${ms}));\n` +
    `process.stdout.write(held.stillOurs() ? "ours\\n" : "lost\\n");\n` +
    `held.releaseSync();\n`;
  const started = startNode([...preload, "--import", "tsx", "--input-type=module", "-e", script], {
    env,
    timeoutMs: 60_000,
  });
  const out = { said: "" };
  started.child.stdout?.on("data", (d: Buffer) => {
    out.said += d.toString();
  });
  return { started, out, locked: () => until(() => out.said.includes("locked"), "the holder to lock") };
}

for (const shift of [5000, -5000]) {
  test(`processes whose clock is ${shift > 0 ? "ahead of" : "behind"} the file system's by 5 s do not take a held lock`, async (t) => {
    const tree = tempTree();
    t.after(tree.cleanup);
    mkdirSync(tree.stateDir, { recursive: true });
    const env = { ...process.env, BG_NOTIFY_TEST_CLOCK_SHIFT_MS: String(shift) };
    const preload = ["--import", join(PRELOAD, "clock-shift.mjs")];
    const holder = holdInChild(tree.stateDir, LOCK_STALE_MS * 3, env, preload);
    await holder.locked();
    for (let i = 0; i < 5; i++) {
      const waiter = startHelper("try", tree.stateDir, "", { env, execArgv: preload });
      await waiter.exited;
      assert.deepEqual(
        waiter.lines,
        ["ELOCKED"],
        "the held lock is not stale to a process of the same clock",
      );
      await sleep(LOCK_STALE_MS / 2);
    }
    const run = await holder.started.done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(holder.out.said, /ours/);
  });
}

test("a lock stamped in the future by a dead holder (clock stepped back) is taken over at once", async (t) => {
  const tree = tempTree();
  t.after(tree.cleanup);
  mkdirSync(join(tree.stateDir, LOCK_DIR), { recursive: true });
  const future = new Date(Date.now() + 60_000);
  utimesSync(join(tree.stateDir, LOCK_DIR), future, future);
  const started = Date.now();
  const outcome = await runHookOnce(
    "user-prompt-submit",
    promptInput(SESSION, noticePrompt("t1")),
    hookEnv(tree),
  );
  assert.equal(outcome.exitCode, 0, outcome.stderr);
  assert.equal(reception(outcome).kind, "blocked", "its notice was recorded under the lock");
  assert.ok(Date.now() - started < 3000, "not after the 6 s a waiter gives up");
});

test("a holder whose lock is taken over while it waits learns it (onCompromised) and commits nothing", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bg-notify-compromised-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const holder = holdInChild(dir, LOCK_STALE_MS * 2);
  await holder.locked();
  holder.started.child.kill("SIGSTOP");
  await sleep(LOCK_STALE_MS + 1500);
  const { acquireLock } = await import("../../src/store/lock.ts");
  const successor = await acquireLock(dir, { retries: 0 });
  holder.started.child.kill("SIGCONT");
  const run = await holder.started.done;
  assert.equal(run.code, 0, run.stderr);
  assert.match(holder.out.said, /lost/);
  assert.ok(successor.stillOurs(), "the holder's release left the successor's lock alone");
  successor.releaseSync();
  assert.equal(existsSync(join(dir, LOCK_DIR)), false);
});
