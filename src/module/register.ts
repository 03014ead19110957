// The hooks module Claude Code loads in-process (hooks/hooks.json `modules`): every `$` call of the layer
// is spelt here, as the engine's scan requires, and the rest is ModuleLayer over the shared pure core.
// Bundled to hooks/register.js, an ES module with no Node import (scripts/build.mjs checks it).
// biome-ignore-all lint/correctness/noUnusedFunctionParameters: every hook has the engine's ($, e, next) shape
import { CONFIG_FILE_NAME, resolveConfig } from "../core/config.js";
import { describeError } from "../core/errors.js";
import type {
  AgentReportAnswer,
  AgentReportEvent,
  AppendEvent,
  ClassicEvent,
  PromptSubmitAnswer,
  PromptSubmitEvent,
  SessionStartEvent,
  TimerHandle,
} from "./engine.js";
import { chooseLayer, type ModuleHost, ModuleLayer } from "./layer.js";
import { forgetOldSessions } from "./session-store.js";

const CONFIG_MAX_BYTES = 256 * 1024;

type Next<E, R> = ((e: E) => Promise<R>) & { called?: boolean };
// biome-ignore lint/suspicious/noExplicitAny: the engine's `$`, typed by Claude Code's own declarations
type Engine = any;
type Hook<E, R> = ($: Engine, e: E, next: Next<E, R>) => Promise<R>;
interface Registration {
  // biome-ignore lint/suspicious/noExplicitAny: the handler takes the registration's own event
  catch(handler: Hook<any, any>): unknown;
}
type On = {
  <E, R>(event: string, hook: Hook<E, R>): Registration;
  <E, R>(event: string, matcher: Record<string, unknown>, hook: Hook<E, R>): Registration;
};

let layer: ModuleLayer | undefined;
/**
 * Settles once `session.start` has chosen the layer. The engine dispatches a resume's first rows (its
 * "didn't finish" report) and a prompt typed at once while that hook still reads the config: a hook that
 * looked at `layer` then would pass them on as if bg-notify were not there.
 */
let started: Promise<void> = Promise.resolve();
let markStarted: () => void = () => {};
/** At most this long a hook waits for `session.start` (each hook's own budget is 10 s). */
const START_WAIT_MS = 5000;

/** The layer once the session's start has chosen it; none where no start came within START_WAIT_MS. */
async function startedLayer(): Promise<ModuleLayer | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    started,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, START_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
  return layer;
}
/**
 * The engine's clock ($.clock.now), read where time matters (a hook's start, a timer's) and carried on by
 * the process clock between reads: the hooks read the time synchronously, and a test's mocked clock
 * (claude plugin test) then drives the layer as a session's real one does.
 */
let clock = { engineAt: Date.now(), realAt: Date.now() };

export function register(on: On): void {
  started = new Promise((resolve) => {
    markStarted = resolve;
  });
  on("session.start", async ($: Engine, e: SessionStartEvent, next: Next<SessionStartEvent, unknown>) => {
    try {
      await readClock($);
      const { config, warnings } = resolveConfig(
        await readConfigFile($, e.cwd),
        await readEnv($),
        CONFIG_FILE_NAME,
      );
      for (const line of warnings) $.ui.log(line, { to: "debug" });
      const host = hostOf($);
      layer = new ModuleLayer(host, config, chooseLayer(config, warnings), e.cwd);
      await layer.start();
    } catch (error) {
      // The command hooks hold instead: the marker comes off again if it was set.
      layer = undefined;
      await $.env.set("BG_NOTIFY_HELD_BY", undefined);
      $.ui.log(`bg-notify: the hooks module stood aside (${describeError(error)})`, { to: "debug" });
    } finally {
      markStarted();
    }
    await forgetOldSessions(hostOf($).store).catch(() => 0);
    return next(e);
  });

  // Fails open: a hook that throws or runs out of time passes the notice or report on as natively
  // (where it had called next, the engine replays that call's answer and runs nothing twice).
  on(
    "prompt.submit",
    async ($: Engine, e: PromptSubmitEvent, next: Next<PromptSubmitEvent, PromptSubmitAnswer>) => {
      const current = await startedLayer();
      if (!current) return next(e);
      await readClock($);
      return current.promptSubmit(e, next);
    },
  ).catch(($: Engine, e: PromptSubmitEvent, next: Next<PromptSubmitEvent, PromptSubmitAnswer>) => next(e));

  on(
    "agent.report",
    async ($: Engine, e: AgentReportEvent, next: Next<AgentReportEvent, AgentReportAnswer>) => {
      const current = await startedLayer();
      if (!current) return next(e);
      await readClock($);
      return current.agentReport(e, next);
    },
  ).catch(($: Engine, e: AgentReportEvent, next: Next<AgentReportEvent, AgentReportAnswer>) => next(e));

  // Only the doors of the rows the layer rewrites or learns from: every other row, a
  // turn's tool calls and results among them, is matched by the engine and never crosses to the worker.
  on(
    "session.append",
    { door: ["notice", "queue", "prompt"] },
    async ($: Engine, e: AppendEvent, next: Next<AppendEvent, unknown>) => {
      const current = await startedLayer();
      return current ? current.append(e, next) : next(e);
    },
  );

  on(
    "turn.start",
    async (
      $: Engine,
      e: { turnId: string; agentId?: string },
      next: Next<{ turnId: string; agentId?: string }, unknown>,
    ) => {
      await (await startedLayer())?.turnStart(e).catch((error: unknown) => {
        $.ui.log(`bg-notify: what a turn carried was not recorded (${describeError(error)})`, {
          to: "debug",
        });
      });
      return next(e);
    },
  );

  // A launch is recorded beside the tool call, not in its way: every Bash call of a turn passes here.
  on("classic.PostToolUse", async ($: Engine, e: ClassicEvent, next: Next<ClassicEvent, unknown>) => {
    void startedLayer()
      .then((current) => current?.postToolUse(e))
      .catch((error: unknown) => {
        $.ui.log(`bg-notify: a launch was not recorded (${describeError(error)})`, { to: "debug" });
      });
    return next(e);
  });

  on("session.end", async ($: Engine, e: unknown, next: Next<unknown, unknown>) => {
    layer?.sessionEnded();
    return next(e);
  });

  on("classic.SubagentStop", async ($: Engine, e: ClassicEvent, next: Next<ClassicEvent, unknown>) => {
    await (await startedLayer())?.subagentStop(e).catch((error: unknown) => {
      $.ui.log(`bg-notify: a subagent's own work was not ended (${describeError(error)})`, { to: "debug" });
    });
    return next(e);
  });

  on("classic.Stop", async ($: Engine, e: ClassicEvent, next: Next<ClassicEvent, unknown>) => {
    await (await startedLayer())?.stop(e).catch((error: unknown) => {
      $.ui.log(`bg-notify: what still runs was not reconciled (${describeError(error)})`, { to: "debug" });
    });
    return next(e);
  });
}

function hostOf($: Engine): ModuleHost {
  return {
    now: () => clock.engineAt + (Date.now() - clock.realAt),
    sessionId: () => $.session.id(),
    store: {
      get: (key) => $.store.get(key),
      set: (key, value) => $.store.set(key, value),
      delete: (key) => $.store.delete(key),
      keys: () => $.store.keys(),
    },
    appendNote: async (text) => {
      const answer = await $.session.append({ message: { type: "user", content: [{ type: "text", text }] } });
      return !(answer && typeof answer === "object" && "deny" in answer);
    },
    submit: async (text) => {
      const answer = await $.prompt.submit({ text });
      return !(answer && typeof answer === "object" && typeof answer.drop === "string");
    },
    notify: async (text) => {
      const sent = await $.ui.notify(text, { title: "bg-notify" });
      return sent.isSent;
    },
    after: (ms, fn): TimerHandle =>
      $.clock.after(ms, () => {
        void readClock($).then(fn);
      }),
    standDownCommandHooks: async () => {
      // LAYER_MARKER_ENV and LAYER_MARKER_VALUE (core/protocol.ts): the engine wants the name spelt out.
      const answer = await $.env.set("BG_NOTIFY_HELD_BY", "module");
      return !(answer && typeof answer === "object" && "deny" in answer);
    },
    log: (line) => $.ui.log(line, { to: "debug" }),
    // Claude Code heads a plugin's row with its name already.
    say: (line) => $.ui.log(line.replace(/^bg-notify:? /, "")),
  };
}

/** Sets the layer's clock from the engine's; where the engine's cannot be read, the process clock stands. */
async function readClock($: Engine): Promise<void> {
  try {
    const engineAt = await $.clock.now();
    if (typeof engineAt === "number" && Number.isFinite(engineAt)) clock = { engineAt, realAt: Date.now() };
  } catch {
    clock = { engineAt: Date.now(), realAt: Date.now() };
  }
}

/** The project's config file as the command hooks read it: never through a link, never too large. */
async function readConfigFile($: Engine, cwd: string): Promise<string | undefined | { unreadable: string }> {
  const dir = `${cwd}/.claude`;
  const path = `${dir}/${CONFIG_FILE_NAME}`;
  if (!(await $.fs.exists(path))) return undefined;
  const dirStat = await $.fs.stat(dir);
  const stat = await $.fs.stat(path);
  if (dirStat.isLink || stat.isLink || stat.kind !== "file")
    return { unreadable: "is not a file bg-notify reads (a link, or not a regular file)" };
  if (stat.size > CONFIG_MAX_BYTES) return { unreadable: `is larger than ${CONFIG_MAX_BYTES / 1024} KB` };
  return $.fs.read(path);
}

/** The environment variables core/config reads; the engine wants each name spelt out. */
async function readEnv($: Engine): Promise<Record<string, string | undefined>> {
  // Asked together: each is a hop to the engine, and a start that reads them one by one keeps a resume's
  // first rows and a prompt typed at once waiting.
  const [
    window,
    maxBatch,
    mode,
    maxHold,
    siblings,
    allDone,
    wakeOnFailure,
    concurrency,
    layerName,
    policy,
    budget,
  ] = await Promise.all([
    $.env.get("BG_NOTIFY_BATCH_WINDOW_MS"),
    $.env.get("BG_NOTIFY_MAX_BATCH_SIZE"),
    $.env.get("BG_NOTIFY_MODE"),
    $.env.get("BG_NOTIFY_MAX_HOLD_MS"),
    $.env.get("BG_NOTIFY_WAIT_FOR_SIBLINGS"),
    $.env.get("BG_NOTIFY_ALL_DONE"),
    $.env.get("BG_NOTIFY_WAKE_ON_FAILURE"),
    $.env.get("BG_NOTIFY_CONCURRENCY"),
    $.env.get("BG_NOTIFY_LAYER"),
    $.env.get("BG_NOTIFY_POLICY"),
    $.env.get("BG_NOTIFY_WAKE_BUDGET"),
  ]);
  return {
    BG_NOTIFY_BATCH_WINDOW_MS: window,
    BG_NOTIFY_MAX_BATCH_SIZE: maxBatch,
    BG_NOTIFY_MODE: mode,
    BG_NOTIFY_MAX_HOLD_MS: maxHold,
    BG_NOTIFY_WAIT_FOR_SIBLINGS: siblings,
    BG_NOTIFY_ALL_DONE: allDone,
    BG_NOTIFY_WAKE_ON_FAILURE: wakeOnFailure,
    BG_NOTIFY_CONCURRENCY: concurrency,
    BG_NOTIFY_LAYER: layerName,
    BG_NOTIFY_POLICY: policy,
    BG_NOTIFY_WAKE_BUDGET: budget,
  };
}
