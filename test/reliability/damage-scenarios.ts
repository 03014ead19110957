// State damage, staged with real hook processes: a state.json that is truncated, garbage, empty, of the
// wrong shape or from a future version; a read-only state directory; a full disk (a tiny tmpfs, when this
// process may mount one). Each time: hooks exit 0 with one clear line, and what was owed is not dropped.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseState } from "../../src/core/state.ts";
import { DurableNotifier } from "../../src/library/durable-notifier.ts";
import { createFileStore } from "../../src/store/file-store.ts";
import {
  type HookName,
  type HookOutcome,
  hasStackTrace,
  hookEnv,
  noticePrompt,
  postToolUseInput,
  promptInput,
  reception,
  runHookOnce,
  stdoutIsValid,
  stopInput,
  type TempTree,
  tempTree,
} from "./harness.ts";

export const SESSION = "s-dmg";
/** Long enough that nothing recorded in setup becomes due by itself. */
const FAR_WINDOW = { BG_NOTIFY_BATCH_WINDOW_MS: "60000" };

export interface HookCheck {
  hook: HookName;
  exitCode: number | null;
  /** Problem lines the user sees: stderr lines plus systemMessage lines. */
  warningLines: string[];
  clean: boolean;
  delivered: string[];
  blocked: boolean;
}

/** Exit 0 (or the rewake's deliberate 2), stdout empty or JSON, no stack trace; what it said and gave. */
export function checkHook(o: HookOutcome): HookCheck {
  const lines = o.stderr.split("\n").filter((l) => l.trim() !== "");
  let systemMessage = "";
  try {
    const json = o.stdout.trim() ? (JSON.parse(o.stdout) as Record<string, unknown>) : {};
    if (typeof json["systemMessage"] === "string") systemMessage = json["systemMessage"];
  } catch {}
  const got = reception(o);
  const delivered = got.kind === "delivered" ? got.notices.flatMap((n) => n.taskIds) : [];
  if (o.hook !== "rewake" || o.exitCode !== 2) lines.push(...systemMessage.split("\n").filter(Boolean));
  return {
    hook: o.hook,
    exitCode: o.exitCode,
    warningLines: o.hook === "rewake" && o.exitCode === 2 ? [] : lines,
    clean:
      o.signal === null &&
      (o.exitCode === 0 || (o.hook === "rewake" && o.exitCode === 2)) &&
      stdoutIsValid(o.stdout) &&
      !hasStackTrace(o.stdout) &&
      !hasStackTrace(o.stderr),
    delivered,
    blocked: got.kind === "blocked",
  };
}

/** t0 recorded and delivered, t1 and t2 recorded and still owed: the state every damage case starts from. */
export async function seedOwed(tree: TempTree): Promise<void> {
  const now = hookEnv(tree, { BG_NOTIFY_BATCH_WINDOW_MS: "0" });
  await runHookOnce("user-prompt-submit", promptInput(SESSION, noticePrompt("t0")), now);
  const first = checkHook(await runHookOnce("user-prompt-submit", promptInput(SESSION, "go on"), now));
  if (!first.delivered.includes("t0")) throw new Error("setup: t0 was not delivered");
  const later = hookEnv(tree, FAR_WINDOW);
  for (const id of ["t1", "t2"]) {
    const check = checkHook(
      await runHookOnce("user-prompt-submit", promptInput(SESSION, noticePrompt(id)), later),
    );
    if (!check.blocked) throw new Error(`setup: ${id} was not recorded`);
  }
}

/** What the final flush still finds owed, by task id. */
export async function finalFlush(stateDir: string): Promise<string[]> {
  const store = createFileStore({ dir: stateDir });
  const manager = new DurableNotifier(store);
  return (await manager.flushAll()).flatMap((d) => d.tasks.map((t) => t.id));
}

export const DAMAGE: Record<string, (valid: string) => string> = {
  truncated: (valid) => valid.slice(0, Math.floor(valid.length / 2)),
  garbage: () => "\u0000\u00ff{{not json]] \ud800 garbage",
  empty: () => "",
  "wrong schema": () => JSON.stringify({ version: 1, tasks: [], batches: {}, ledger: 5, updatedAt: "x" }),
  "future version": (valid) => JSON.stringify({ ...JSON.parse(valid), version: 2, somethingNew: [1, 2] }),
};

export interface DamageResult {
  kind: string;
  /** The hook that met the damage: a person's prompt, which is owed what is pending. */
  hook: HookCheck;
  /** t1 and t2 reached the parent (by that hook, or the final flush); t0, delivered before, did not again. */
  recovered: string[];
  redelivered: string[];
  quarantined: number;
  stateValidAfter: boolean;
}

export async function damagedState(kind: string): Promise<DamageResult> {
  const damage = DAMAGE[kind];
  if (!damage) throw new Error(`no damage kind ${kind}`);
  const tree = tempTree("dmg");
  try {
    await seedOwed(tree);
    const path = join(tree.stateDir, "state.json");
    writeFileSync(path, damage(readFileSync(path, "utf8")));
    const hook = checkHook(
      await runHookOnce("user-prompt-submit", promptInput(SESSION, "next step"), hookEnv(tree)),
    );
    const flushed = await finalFlush(tree.stateDir);
    const all = [...hook.delivered, ...flushed];
    let stateValidAfter = false;
    try {
      stateValidAfter = parseState(JSON.parse(readFileSync(path, "utf8"))).ok;
    } catch {}
    return {
      kind,
      hook,
      recovered: all.filter((id) => id === "t1" || id === "t2"),
      redelivered: all.filter((id) => id === "t0"),
      quarantined: readdirSync(tree.stateDir).filter((n) => n.startsWith("state.corrupt-")).length,
      stateValidAfter,
    };
  } finally {
    tree.cleanup();
  }
}

// --- read-only directory and full disk -------------------------------------------------------------

function run(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  return (
    process.getuid?.() === 0 && run("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir])
  );
}

function unmount(dir: string): void {
  run("umount", ["-l", dir]);
}

/** Every hook of hooks.json, once, against the state directory as it is. */
async function everyHook(tree: TempTree, taskId: string): Promise<HookCheck[]> {
  const env = hookEnv(tree, { BG_NOTIFY_BATCH_WINDOW_MS: "0" });
  const notice = promptInput(SESSION, noticePrompt(taskId));
  const runs: [HookName, unknown][] = [
    ["user-prompt-submit", notice],
    ["rewake", notice],
    ["user-prompt-submit", promptInput(SESSION, "carry on")],
    ["post-tool-use", postToolUseInput(SESSION)],
    ["stop", stopInput(SESSION)],
    ["session-start", { session_id: SESSION, hook_event_name: "SessionStart", source: "resume" }],
    [
      "subagent-start",
      { session_id: SESSION, hook_event_name: "SubagentStart", agent_id: "a1", agent_type: "x" },
    ],
    ["session-end", { session_id: SESSION, hook_event_name: "SessionEnd", reason: "other" }],
  ];
  const out: HookCheck[] = [];
  for (const [hook, input] of runs) out.push(checkHook(await runHookOnce(hook, input, env)));
  return out;
}

export interface EnvironmentResult {
  /** How the condition was made: "tmpfs", "chmod", or "skipped: why". */
  method: string;
  hooks: HookCheck[];
  /** The new notice was blocked only if recorded; here nothing can be recorded, so it must pass. */
  noticePassed: boolean;
  /** Owed before, reached the parent once the condition was lifted (final flush) or by a hook. */
  owedDelivered: string[];
  leftoverTempFiles: number;
}

/** A state directory that cannot be written: remounted read-only (root), or mode 0500 otherwise. */
export async function readOnlyDir(): Promise<EnvironmentResult> {
  const tree = tempTree("ro");
  const mounted = mountTmpfs(tree.stateDir, "4m");
  try {
    await seedOwed(tree);
    let method = "tmpfs";
    if (mounted) {
      if (!run("mount", ["-o", "remount,ro", tree.stateDir])) throw new Error("cannot remount read-only");
    } else if (process.getuid?.() !== 0) {
      chmodSync(tree.stateDir, 0o500);
      method = "chmod";
    } else {
      return {
        method: "skipped: root without mount",
        hooks: [],
        noticePassed: true,
        owedDelivered: [],
        leftoverTempFiles: 0,
      };
    }
    const hooks = await everyHook(tree, "t3");
    if (mounted) run("mount", ["-o", "remount,rw", tree.stateDir]);
    else chmodSync(tree.stateDir, 0o700);
    const owedDelivered = [...hooks.flatMap((h) => h.delivered), ...(await finalFlush(tree.stateDir))];
    return {
      method,
      hooks,
      noticePassed: !(hooks[0]?.blocked ?? true),
      owedDelivered,
      leftoverTempFiles: readdirSync(tree.stateDir).filter((n) => n.endsWith(".tmp")).length,
    };
  } finally {
    if (mounted) unmount(tree.stateDir);
    tree.cleanup();
  }
}

/** A full disk: a small tmpfs holds the state directory and a filler file takes every free byte. */
export async function fullDisk(): Promise<EnvironmentResult> {
  const tree = tempTree("full");
  const mountPoint = join(tree.project, ".claude");
  const mounted = mountTmpfs(mountPoint, "1m");
  try {
    if (!mounted)
      return {
        method: "skipped: cannot mount a tmpfs (not root)",
        hooks: [],
        noticePassed: true,
        owedDelivered: [],
        leftoverTempFiles: 0,
      };
    await seedOwed(tree);
    const filler = join(mountPoint, "filler");
    const chunk = Buffer.alloc(4096, 120);
    try {
      for (;;) writeFileSync(filler, chunk, { flag: "a" });
    } catch {}
    const hooks = await everyHook(tree, "t3");
    run("rm", ["-f", filler]);
    const owedDelivered = [...hooks.flatMap((h) => h.delivered), ...(await finalFlush(tree.stateDir))];
    return {
      method: "tmpfs",
      hooks,
      noticePassed: !(hooks[0]?.blocked ?? true),
      owedDelivered,
      leftoverTempFiles: existsSync(tree.stateDir)
        ? readdirSync(tree.stateDir).filter((n) => n.endsWith(".tmp")).length
        : 0,
    };
  } finally {
    unmount(mountPoint);
    tree.cleanup();
  }
}
