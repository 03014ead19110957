// Fail open, with the store made to fail at each step in turn: a wrapper around the real file store
// counts every call a hook makes (read, transact, appendEvent, commitHeld) and fails the k-th — by a typed
// error, a plain error, a change that committed and then reported failure, or a call that never
// returns — through the real runtime (`runHook`). Whatever fails, a native notice is blocked only if
// its record is committed, and a batch is printed if and only if its claim is committed.

import { parseTaskNotification } from "../../src/claude/task-notification.ts";
import { registerLaunch } from "../../src/claude/track-launches.ts";
import { recordNotice } from "../../src/claude/track-notices.ts";
import { recorderFor } from "../../src/core/batching.ts";
import { BgNotifyError } from "../../src/core/errors.ts";
import { completionKey } from "../../src/core/state.ts";
import { DurableNotifier } from "../../src/library/durable-notifier.ts";
import { createHookEventBus } from "../../src/library/event-bus.ts";
import { createHookContext, type HookContext, type HookContextOptions } from "../../src/plugin/context.ts";
import { runHook } from "../../src/plugin/runtime.ts";
import { readState, withLockedState } from "../../src/store/transaction.ts";
import type { StateStore } from "../../src/store/types.ts";
import { EVENTS } from "./fuzz.ts";
import {
  type HookName,
  hasStackTrace,
  hookEnv,
  noticePrompt,
  parseNotices,
  postToolUseInput,
  promptInput,
  reception,
  stdoutIsValid,
  stopInput,
  tempTree,
} from "./harness.ts";

export type FailureMode = "typed error" | "plain error" | "fails after committing" | "never returns";
export const FAILURE_MODES: FailureMode[] = [
  "typed error",
  "plain error",
  "fails after committing",
  "never returns",
];

interface Injection {
  ops: string[];
  failAt: number;
  mode: FailureMode;
}

function injected(mode: FailureMode): Promise<never> {
  if (mode === "never returns") return new Promise(() => {});
  if (mode === "plain error") return Promise.reject(new Error("injected failure"));
  return Promise.reject(new BgNotifyError("ESTATE", "injected failure"));
}

/** The real store, failing its `failAt`-th call as `mode` says. */
export function failingStore(inner: StateStore, inj: Injection): StateStore {
  const fails = (op: string) => inj.ops.push(op) - 1 === inj.failAt;
  return {
    kind: inner.kind,
    warnings: inner.warnings,
    read: () =>
      fails("read")
        ? injected(inj.mode === "fails after committing" ? "typed error" : inj.mode)
        : inner.read(),
    transact: async (update) => {
      if (!fails("transact")) return inner.transact(update);
      if (inj.mode !== "fails after committing") return injected(inj.mode);
      await inner.transact(update);
      throw new BgNotifyError("ESTATE", "injected failure after the change");
    },
    appendEvent: (record) => {
      if (fails("appendEvent")) {
        if (inj.mode === "fails after committing") inner.appendEvent(record);
        throw inj.mode === "plain error"
          ? new Error("injected failure")
          : new BgNotifyError("ESTATE", "injected");
      }
      inner.appendEvent(record);
    },
    holdClaims: () => inner.holdClaims?.(),
    commitHeld: () => {
      if (!fails("commitHeld")) return inner.commitHeld?.() ?? { ok: true, committed: false };
      // A commit that fails reports it; one that went through cannot un-happen, so it is not staged here.
      inner.abandon?.();
      return { ok: false, committed: false, reason: "injected failure" };
    },
    abandon: () => inner.abandon?.(),
  };
}

function contextWith(inj: Injection) {
  return (options: HookContextOptions): HookContext => {
    const ctx = createHookContext(options);
    const store = failingStore(ctx.store, inj);
    const notifications = new DurableNotifier(
      store,
      {
        batchWindow: ctx.config.batchWindowMs,
        maxBatchSize: ctx.config.maxBatchSize,
        resultExcerptChars: ctx.config.resultExcerptChars,
        now: ctx.now,
        source: options.source ?? "hook",
      },
      createHookEventBus({ store, now: ctx.now }),
    );
    return { ...ctx, store, notifications };
  };
}

const SESSION = "s-fail";
const LIMITS = { batchWindowMs: 1000, maxBatchSize: 5 };

interface Scenario {
  name: string;
  hook: HookName;
  input: Record<string, unknown>;
  env?: Record<string, string>;
  /** Owed before the run (due), running tasks, etc. */
  seed?: (dir: string) => Promise<void>;
  /** The notice whose blocking must imply its committed record. */
  noticeId?: string;
}

async function owedDue(dir: string): Promise<void> {
  const notice = parseTaskNotification(noticePrompt("tOwed"));
  if (!notice) throw new Error("bad test notice");
  await withLockedState(dir, (s) => {
    recordNotice(s, SESSION, notice, Date.now() - 60_000, recorderFor(s, Date.now() - 60_000, LIMITS));
    registerLaunch(s, SESSION, { id: "tRunning", kind: "shell", command: "sleep 60" }, Date.now() - 1000);
  });
}

export const SCENARIOS: Scenario[] = [
  {
    name: "notice, coalesce",
    hook: "user-prompt-submit",
    input: promptInput(SESSION, noticePrompt("tN")),
    noticeId: "tN",
  },
  {
    name: "notice, summarize, with a due batch",
    hook: "user-prompt-submit",
    input: promptInput(SESSION, noticePrompt("tN")),
    env: { BG_NOTIFY_MODE: "summarize" },
    seed: owedDue,
    noticeId: "tN",
  },
  {
    name: "notice, coalesce, with a due batch",
    hook: "user-prompt-submit",
    input: promptInput(SESSION, noticePrompt("tN")),
    seed: owedDue,
    noticeId: "tN",
  },
  {
    name: "rewake",
    hook: "rewake",
    input: promptInput(SESSION, noticePrompt("tN")),
    env: { BG_NOTIFY_BATCH_WINDOW_MS: "0" },
  },
  {
    name: "typed prompt carries owed",
    hook: "user-prompt-submit",
    input: promptInput(SESSION, "go on"),
    seed: owedDue,
  },
  {
    name: "PostToolUse carries owed",
    hook: "post-tool-use",
    input: postToolUseInput(SESSION),
    seed: owedDue,
  },
  {
    name: "Stop reconciles and carries owed",
    hook: "stop",
    input: { ...stopInput(SESSION), background_tasks: [{ id: "tOther", type: "shell" }] },
    seed: owedDue,
  },
  {
    name: "SessionStart resume",
    hook: "session-start",
    input: { session_id: SESSION, hook_event_name: "SessionStart", source: "resume" },
    seed: owedDue,
  },
];

export interface FailOpenFigures {
  runs: number;
  /** Distinct (scenario, failing call) pairs: every call of every scenario failed once per mode. */
  injectionPoints: number;
  blockedWithoutRecord: number;
  claimedNotPrinted: number;
  printedNotClaimed: number;
  accidentalExit2: number;
  badOutput: number;
  threw: number;
  /** Notices that passed (not blocked) though recorded: told twice later, never lost. */
  passedButRecorded: number;
  failures: string[];
}

function deliveredIds(dir: string): Set<string> {
  return new Set(
    readState(dir)
      .batches.filter((b) => b.deliveredAt !== undefined)
      .map((b) => b.id),
  );
}

async function runOnce(scenario: Scenario, inj: Injection, f: FailOpenFigures): Promise<number> {
  const tree = tempTree("failopen");
  try {
    await scenario.seed?.(tree.stateDir);
    const before = deliveredIds(tree.stateDir);
    const env = hookEnv(tree, scenario.env ?? {});
    const { label: hookLabel, expected, handler } = EVENTS[scenario.hook];
    let run: { stdout: string; stderr: string; exitCode: number };
    try {
      run = await runHook(hookLabel, expected, handler, JSON.stringify(scenario.input), {
        env,
        deadlineMs: 200,
        createContext: contextWith(inj),
      });
    } catch (error) {
      f.threw++;
      f.failures.push(`${scenario.name} / call ${inj.failAt} / ${inj.mode}: runHook threw ${String(error)}`);
      return inj.ops.length;
    }
    f.runs++;
    const label = `${scenario.name} / call ${inj.failAt} (${inj.ops[inj.failAt] ?? "none"}) / ${inj.mode}`;
    const problem = (what: string) => {
      if (f.failures.length < 20) f.failures.push(`${label}: ${what}`);
    };
    if (!stdoutIsValid(run.stdout) || hasStackTrace(run.stdout) || hasStackTrace(run.stderr)) {
      f.badOutput++;
      problem(`bad output ${run.stdout.slice(0, 100)} ${run.stderr.slice(0, 200)}`);
    }
    if (run.exitCode === 2 && !(scenario.hook === "rewake" && parseNotices(run.stderr).length > 0)) {
      f.accidentalExit2++;
      problem("exit 2 without a delivery");
    }
    const state = readState(tree.stateDir);
    const got = reception({ hook: scenario.hook, pid: 0, signal: null, durationMs: 0, ...run });
    if (scenario.noticeId) {
      const notice = parseTaskNotification(noticePrompt(scenario.noticeId));
      const key = notice
        ? completionKey({
            id: notice.taskId,
            parentSessionId: SESSION,
            kind: "shell",
            description: "",
            status: "completed",
          })
        : "";
      const recorded = state.ledger[key] !== undefined;
      if (got.kind === "blocked" && !recorded) {
        f.blockedWithoutRecord++;
        problem("notice blocked but its record is not committed");
      }
      if (got.kind !== "blocked" && recorded) f.passedButRecorded++;
    }
    const printed = new Set(got.kind === "delivered" ? got.notices.map((n) => n.batchId) : []);
    const claimedNow = [...deliveredIds(tree.stateDir)].filter((id) => !before.has(id));
    for (const id of claimedNow)
      if (!printed.has(id)) {
        f.claimedNotPrinted++;
        problem(`batch ${id} marked delivered but not printed`);
      }
    const delivered = deliveredIds(tree.stateDir);
    for (const id of printed)
      if (!delivered.has(id)) {
        f.printedNotClaimed++;
        problem(`batch ${id} printed but its claim is not committed`);
      }
    return inj.ops.length;
  } finally {
    tree.cleanup();
  }
}

export async function failOpen(scenarios: Scenario[] = SCENARIOS): Promise<FailOpenFigures> {
  const f: FailOpenFigures = {
    runs: 0,
    injectionPoints: 0,
    blockedWithoutRecord: 0,
    claimedNotPrinted: 0,
    printedNotClaimed: 0,
    accidentalExit2: 0,
    badOutput: 0,
    threw: 0,
    passedButRecorded: 0,
    failures: [],
  };
  for (const scenario of scenarios) {
    // A clean run counts the calls; then each call fails once, in each way.
    const calls = await runOnce(scenario, { ops: [], failAt: -1, mode: "typed error" }, f);
    f.injectionPoints += calls;
    for (let k = 0; k < calls; k++)
      for (const mode of FAILURE_MODES) await runOnce(scenario, { ops: [], failAt: k, mode }, f);
  }
  return f;
}
