// The interactive suite: the real CLI's terminal UI in tmux (test/e2e/tui.ts), native and with the
// plugin, against the same loopback stand-in. What reached the model comes from the stand-in's request
// bodies; what the person sees, from the screen.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeRun, idsIn, type RunAnalysis } from "./analyze.ts";
import { countingNode } from "./counting-node.ts";
import { assistantCount, MessagesApiStub, type ReplyBlock, sleep, text } from "./messages-api-stub.ts";
import { copyPlugin, renameStatusOnTheWay } from "./scenarios.ts";
import { Tui, tmuxAvailable } from "./tui.ts";

export interface InteractiveResult {
  name: string;
  /** plugin: the hooks module holding; hooks: the command hooks (`BG_NOTIFY_LAYER=hooks`). */
  mode: "baseline" | "plugin" | "hooks";
  failures: string[];
  facts: string;
}

interface Ctx {
  claudeBin: string;
  pluginDir: string;
  /** Which layer holds in the plugin's sessions: the hooks module (Claude Code's default) or the command hooks. */
  layer: "module" | "hooks";
  /** Where each session's requests and screen are kept (one JSON file per session). */
  outDir?: string;
  /** Run only these checks (`--tui=ten-shells-draft,exit-continue`); each `repeat` times. */
  only?: string[];
  repeat?: number;
}

let recorded = 0;
/** The last kept session in brief, printed under a check that fails: CI keeps only what is printed. */
let lastKept: string[] = [];
/** Keep what a session sent and showed, so that a failure in CI can be read afterwards. */
function keepRecord(c: Ctx, label: string, stub: MessagesApiStub, screen: string, project?: string): void {
  lastKept = digest(label, stub);
  if (!c.outDir) return;
  recorded++;
  writeFileSync(
    join(c.outDir, `tui-${String(recorded).padStart(2, "0")}-${label}.json`),
    JSON.stringify(
      {
        label,
        screen,
        requests: stub.requests.map((q) => ({ ...q, rawBody: undefined })),
        ...(project !== undefined ? pluginRecords(project) : {}),
      },
      null,
      1,
    ),
  );
}

/** What the plugin wrote in the session's project (its event log and state), for reading a failure. */
function pluginRecords(project: string): { events?: unknown[]; state?: unknown } {
  const dir = join(project, ".claude", "bg-notify");
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), "utf8");
    } catch {
      return undefined;
    }
  };
  const events = read("events.jsonl");
  const state = read("state.json");
  return {
    ...(events !== undefined
      ? {
          events: events
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map((l) => JSON.parse(l) as unknown),
        }
      : {}),
    ...(state !== undefined ? { state: JSON.parse(state) as unknown } : {}),
  };
}

/** The same for a session that failed on the way (a wait that timed out): its record is what CI leaves. */
function keepFailed(
  c: Ctx,
  label: string,
  stub: MessagesApiStub,
  screen: () => string,
  project?: string,
): void {
  let text: string;
  try {
    text = screen();
  } catch (error) {
    text = `(no screen: ${String(error)})`;
  }
  keepRecord(c, `${label}-failed`, stub, text, project);
  for (const line of [...lastKept, "screen:", ...text.split("\n").slice(-40)])
    process.stdout.write(`[e2e]     ${line}\n`);
}

const bash = (command: string, description: string): ReplyBlock => ({
  type: "tool_use",
  name: "Bash",
  input: { command, description, run_in_background: true },
});

const THREE: ReplyBlock[] = [
  bash("sleep 1; echo a >> out.log", "job a"),
  bash("sleep 1.2; echo b 2>&1", "job b"),
  bash("sleep 1.4; exit 3", "job c"),
];

function launchingStub(launch: ReplyBlock[]): MessagesApiStub {
  return new MessagesApiStub({
    scenario: (req) => {
      if (req.kind !== "main") return text("OK.");
      if (assistantCount(req.body) === 0 && /run background jobs/.test(req.rawBody))
        return { content: [{ type: "text", text: "Launching." }, ...launch] };
      return text("Noted.");
    },
  });
}

/** One line per main request of a session: when, why, and which launched tasks its new part names. */
function digest(label: string, stub: MessagesApiStub): string[] {
  const a = analyzeRun(stub.requests);
  const ids = a.tasks.map((t) => t.id);
  const t0 = a.infos[0]?.req.at ?? 0;
  return [
    `session ${label}: ${a.tasks.length} tasks launched (${ids.join(" ")})`,
    ...a.infos.map((info, i) => {
      const named = idsIn(info.contextText, ids);
      const why = info.wakeKind ? `${info.trigger}/${info.wakeKind}` : info.trigger;
      const context = info.contextText.replace(/\s+/g, " ").slice(0, 140);
      return `#${i} +${info.req.at - t0}ms ${why}${info.retry ? " (retry)" : ""} names [${named.join(" ")}] ${context}`;
    }),
  ];
}

/** Each launched task's id in the parts of requests new to the model (the tails): how often told. */
function toldCounts(a: RunAnalysis): Record<string, number> {
  const ids = a.tasks.map((t) => t.id);
  const counts: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
  for (const info of a.infos) {
    if (info.trigger === "initial") continue;
    for (const id of idsIn(info.contextText, ids)) counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

interface ScreenFacts {
  blockedLines: number;
  taskLines: number;
  failedLine: boolean;
  stopLines: number;
  lines: number;
}

function screenFacts(screen: string): ScreenFacts {
  const rows = screen.split("\n").filter((l) => l.trim() !== "");
  return {
    blockedLines: rows.filter((l) => /blocked by hook/.test(l)).length,
    taskLines: rows.filter((l) => /● Background command ".*" (completed|failed)/.test(l)).length,
    failedLine: rows.some((l) => /● Background command "job c" failed with exit code 3/.test(l)),
    stopLines: rows.filter((l) => /Operation stopped by hook/.test(l)).length,
    lines: rows.length,
  };
}

async function session(
  c: Ctx,
  mode: "baseline" | "plugin",
  stub: MessagesApiStub,
  env: Record<string, string> = {},
  settings?: Record<string, unknown>,
): Promise<Tui> {
  const tui = new Tui({
    claudeBin: c.claudeBin,
    baseUrl: stub.url,
    allowedTools: ["Bash", "Read", "Agent"],
    ...(mode === "plugin" ? { pluginDir: c.pluginDir } : {}),
    env: { ...(mode === "plugin" && c.layer === "hooks" ? { BG_NOTIFY_LAYER: "hooks" } : {}), ...env },
    ...(settings ? { settings } : {}),
    label: mode,
  });
  tui.start();
  await tui.ready(60_000);
  return tui;
}

async function submit(tui: Tui, line: string): Promise<number> {
  tui.type(line);
  await sleep(150);
  const at = Date.now();
  tui.key("Enter");
  return at;
}

interface IdleRun {
  a: RunAnalysis;
  screen: string;
  project: string;
  /** The input box's line after the last wake-up (a draft typed before it should still be there). */
  inputLine: string;
}

/** Shells launched at the prompt, finishing while it is idle: wake-ups, each told once, the screen. */
async function idleSession(
  c: Ctx,
  mode: "baseline" | "plugin",
  opts: {
    launch?: ReplyBlock[];
    env?: Record<string, string>;
    draft?: string;
    settings?: Record<string, unknown>;
    /** After every notice is told, wait for this on the screen (before it is read). */
    showing?: RegExp;
  } = {},
): Promise<IdleRun> {
  const launch = opts.launch ?? THREE;
  const stub = launchingStub(launch);
  await stub.start();
  const tui = await session(c, mode, stub, opts.env, opts.settings);
  try {
    await submit(tui, "run background jobs");
    if (opts.draft !== undefined) {
      // Typed while the batch is pending, never sent.
      await tui.waitFor("the launch turn's end", () => /Noted\./.test(tui.screen()), 20_000, 50);
      tui.type(opts.draft);
    }
    await tui.waitFor(
      "every notice told",
      () =>
        Object.values(toldCounts(analyzeRun(stub.requests))).filter((n) => n > 0).length === launch.length,
      40_000,
      100,
    );
    await sleep(2500);
    const showing = opts.showing;
    if (showing) await tui.waitFor(`${showing} on the screen`, () => showing.test(tui.screen()), 20_000, 200);
    const a = analyzeRun(stub.requests);
    const screen = tui.screen(600);
    const input = [...tui.screen().split("\n")].reverse().find((l) => l.startsWith("❯")) ?? "";
    keepRecord(c, `idle-${mode}`, stub, screen, mode === "plugin" ? tui.project : undefined);
    return { a, screen, project: tui.project, inputLine: input };
  } catch (error) {
    keepFailed(c, `idle-${mode}`, stub, () => tui.screen(600), mode === "plugin" ? tui.project : undefined);
    throw error;
  } finally {
    await tui.exit();
    tui.cleanup();
    await stub.stop();
  }
}

const threeIdle = (c: Ctx, mode: "baseline" | "plugin", env: Record<string, string> = {}) =>
  idleSession(c, mode, { env });

/** Three background agents whose reports come in 0.15 s apart while the prompt is idle. */
const AGENTS = [
  { key: "SUBTASK-ONE", description: "agent one", result: "Result one: found 3 files.", atMs: 1000 },
  { key: "SUBTASK-TWO", description: "agent two", result: "Result two: all tests pass.", atMs: 1150 },
  { key: "SUBTASK-THREE", description: "agent three", result: "Result three: nothing found.", atMs: 1300 },
];

function agentsStub(): MessagesApiStub {
  let firstSubagentAt: number | undefined;
  return new MessagesApiStub({
    scenario: (req, stub) => {
      if (req.kind === "subagent") {
        const agent = AGENTS.find((x) => req.rawBody.includes(x.key));
        if (!agent) return text("Subagent done.");
        firstSubagentAt ??= req.at;
        return {
          content: [{ type: "text", text: agent.result }],
          delayMs: Math.max(0, firstSubagentAt + agent.atMs - stub.now()),
        };
      }
      if (req.kind !== "main") return text("OK.");
      if (assistantCount(req.body) === 0 && /run background agents/.test(req.rawBody))
        return {
          content: [
            { type: "text", text: "Launching." },
            ...AGENTS.map((a) => ({
              type: "tool_use" as const,
              name: "Agent",
              input: {
                description: a.description,
                prompt: `${a.key} do it`,
                subagent_type: "general-purpose",
                run_in_background: true,
              },
            })),
          ],
        };
      return text("Noted.");
    },
  });
}

/** The rows the terminal draws for an agent's report arriving (natively one per agent). */
const agentReportRows = (screen: string) =>
  screen
    .split("\n")
    .filter((l) => /agent (one|two|three)/i.test(l) && /complet|finish|report|result/i.test(l));

async function agentsSession(c: Ctx, mode: "baseline" | "plugin"): Promise<IdleRun> {
  const stub = agentsStub();
  await stub.start();
  const tui = await session(c, mode, stub);
  try {
    await submit(tui, "run background agents");
    await tui.waitFor(
      "every report told",
      () => AGENTS.every((x) => stub.requests.some((r) => r.kind === "main" && r.rawBody.includes(x.result))),
      40_000,
      100,
    );
    await sleep(2500);
    const a = analyzeRun(stub.requests);
    const screen = tui.screen(600);
    keepRecord(c, `agents-${mode}`, stub, screen, mode === "plugin" ? tui.project : undefined);
    return { a, screen, project: tui.project, inputLine: "" };
  } catch (error) {
    keepFailed(c, `agents-${mode}`, stub, () => tui.screen(600), mode === "plugin" ? tui.project : undefined);
    throw error;
  } finally {
    await tui.exit();
    tui.cleanup();
    await stub.stop();
  }
}

/**
 * `/exit` with a batch pending, then `claude --continue` and one prompt: every task told once across
 * both. With `offsetMs`, `/exit` is typed that long from the moment the batch falls due (the window
 * after the first notice's line appeared); without, as soon as the last notice's line is on the screen.
 */
async function exitThenContinue(
  c: Ctx,
  mode: "baseline" | "plugin",
  offsetMs?: number,
): Promise<RunAnalysis> {
  const stub = launchingStub(THREE);
  await stub.start();
  const first = await session(c, mode, stub);
  let second: Tui | undefined;
  try {
    await submit(first, "run background jobs");
    await first.waitFor("the first notice", () => /"job a" completed/.test(first.screen()), 20_000, 10);
    const dueAt = Date.now() + 1000;
    // The third shell's line is on the screen: its notice is in, the batch's window still open.
    await first.waitFor(
      "the last notice",
      () => /job c/.test(first.screen()) && /exit code 3/.test(first.screen()),
      20_000,
      10,
    );
    if (offsetMs !== undefined) {
      first.type("/exit");
      await sleep(Math.max(0, dueAt + offsetMs - Date.now()));
      first.key("Enter");
    } else await submit(first, "/exit");
    await first.waitFor(
      "the first process to end",
      () => !first.alive() || /\$\s*$/.test(first.screen()),
      15_000,
      100,
    );
    await first.exit();
    second = new Tui({
      claudeBin: c.claudeBin,
      baseUrl: stub.url,
      allowedTools: ["Bash", "Read"],
      ...(mode === "plugin" ? { pluginDir: c.pluginDir } : {}),
      ...(mode === "plugin" && c.layer === "hooks" ? { env: { BG_NOTIFY_LAYER: "hooks" } } : {}),
      dirs: { root: first.root, home: first.home, project: first.project },
      extraArgs: ["--continue"],
      label: `${mode}-2`,
    });
    second.start();
    await second.ready(60_000);
    const before = stub.requests.length;
    await submit(second, "what finished while I was away?");
    await second.waitFor(
      "the resumed prompt's reply",
      () => stub.requests.length > before && /Noted\./.test(second?.screen() ?? ""),
      30_000,
      100,
    );
    await sleep(1500);
    keepRecord(
      c,
      `exit-continue-${mode}${offsetMs === undefined ? "" : String(offsetMs)}`,
      stub,
      second.screen(600),
      mode === "plugin" ? first.project : undefined,
    );
    return analyzeRun(stub.requests);
  } catch (error) {
    const last = second ?? first;
    keepFailed(
      c,
      `exit-continue-${mode}${offsetMs ?? ""}`,
      stub,
      () => last.screen(600),
      mode === "plugin" ? first.project : undefined,
    );
    throw error;
  } finally {
    await second?.exit();
    first.cleanup();
    await stub.stop();
  }
}

/** Time from Enter to the request reaching the stand-in, for a prompt with nothing running or owed. */
async function promptLatency(
  c: Ctx,
  mode: "baseline" | "plugin",
  rounds: number,
  env: Record<string, string> = {},
): Promise<number[]> {
  const stub = new MessagesApiStub({ scenario: () => text("OK.") });
  await stub.start();
  const tui = await session(c, mode, stub, env);
  return timePrompts(tui, stub, rounds);
}

/**
 * Prompts typed while a shell runs and nothing is owed: hooks/run queues the turn each one starts in the
 * state directory's inbox (the next hook that starts node folds it in), so none of them starts node.
 */
async function typedWhileRunning(c: Ctx): Promise<InteractiveResult> {
  const counted = countingNode(mkdtempSync(join(tmpdir(), "bg-notify-node-")));
  const stub = launchingStub([bash("sleep 90", "long job")]);
  await stub.start();
  const tui = await session(c, "plugin", stub, counted.env);
  const mains = () => stub.requests.filter((r) => r.kind === "main").length;
  const rounds = 3;
  try {
    await submit(tui, "run background jobs");
    await tui.waitFor("the launch turn's end", () => /Noted\./.test(tui.screen()), 20_000, 50);
    await sleep(1500);
    const before = counted.starts().length;
    for (let i = 0; i < rounds; i++) {
      const sent = mains();
      await submit(tui, `hello ${i}`);
      await tui.waitFor("the prompt's request", () => mains() > sent, 20_000, 20);
      await sleep(1200);
    }
    const starts = counted.starts().slice(before);
    const promptStarts = starts.filter((b) => b === "user-prompt-submit.js").length;
    const inbox = join(counted.stateDir, "inbox");
    const queued = (existsSync(inbox) ? readdirSync(inbox) : []).filter((f) => f.startsWith("prompt-"));
    const last = queued
      .map((f) => readFileSync(join(inbox, f), "utf8"))
      .filter((t) => t.includes(`"prompt":"hello ${rounds - 1}"`));
    const failures = [
      ...(promptStarts > 0
        ? [`node was started for ${promptStarts} of ${rounds} prompts typed while a shell ran`]
        : []),
      ...(queued.length !== rounds
        ? [`${queued.length} of ${rounds} prompts' turns queued in the inbox`]
        : []),
      ...(last.length !== 1 ? ["the last prompt's turn is not among them, verbatim"] : []),
      ...(mains() < 2 + rounds ? ["a prompt did not reach the model"] : []),
    ];
    keepRecord(c, "typed-while-running", stub, tui.screen(600));
    return {
      name: "typed-while-running",
      mode: "plugin",
      failures,
      facts: `${rounds} prompts while a shell ran: node started ${promptStarts}× for them (${starts.join(", ") || "nothing"} in all), ${queued.length} turns queued`,
    };
  } catch (error) {
    keepFailed(c, "typed-while-running", stub, () => tui.screen(600));
    throw error;
  } finally {
    await tui.exit();
    tui.cleanup();
    await stub.stop();
  }
}

/**
 * The floor Claude Code itself sets: a plugin whose only hook is a sync UserPromptSubmit `true`.
 * Any plugin that holds notices needs such a hook (only a sync one can answer `continue: false`).
 */
function trivialHookPlugin(dir: string): string {
  mkdirSync(join(dir, ".claude-plugin"), { recursive: true });
  mkdirSync(join(dir, "hooks"), { recursive: true });
  writeFileSync(
    join(dir, ".claude-plugin", "plugin.json"),
    JSON.stringify({ name: "floor", version: "0.0.1" }),
  );
  writeFileSync(
    join(dir, "hooks", "hooks.json"),
    JSON.stringify({
      hooks: { UserPromptSubmit: [{ hooks: [{ type: "command", command: "true", timeout: 10 }] }] },
    }),
  );
  return dir;
}

async function timePrompts(tui: Tui, stub: MessagesApiStub, rounds: number): Promise<number[]> {
  const out: number[] = [];
  try {
    await tui.ready(60_000);
    for (let i = 0; i < rounds; i++) {
      const before = stub.requests.filter((r) => r.kind === "main").length;
      const at = await submit(tui, `hello ${i}`);
      await tui.waitFor(
        "the prompt's request",
        () => stub.requests.filter((r) => r.kind === "main").length > before,
        20_000,
        2,
      );
      const req = stub.requests.filter((r) => r.kind === "main")[before];
      if (req) out.push(stub.started + req.at - at);
      await sleep(1200);
    }
    return out;
  } finally {
    await tui.exit();
    tui.cleanup();
    await stub.stop();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[s.length >> 1] as number) : Number.NaN;
};

export async function runInteractive(c: Ctx, log: (line: string) => void): Promise<InteractiveResult[]> {
  if (!tmuxAvailable()) {
    return [
      {
        name: "interactive",
        mode: "plugin",
        failures: ["tmux is not installed (.ci/run installs it)"],
        facts: "",
      },
    ];
  }
  const results: InteractiveResult[] = [];
  const record = (found: InteractiveResult) => {
    const r: InteractiveResult =
      found.mode === "plugin" && c.layer === "hooks" ? { ...found, mode: "hooks" } : found;
    results.push(r);
    log(`${`[e2e] tui:${r.name}/${r.mode}`.padEnd(32)} ${r.failures.length ? "FAIL" : "ok  "} ${r.facts}`);
    if (r.failures.length) for (const line of lastKept) log(`[e2e]     ${line}`);
  };

  const want = (name: string) => !c.only || c.only.some((n) => name.startsWith(n));
  for (let round = 0; round < (c.repeat ?? 1); round++) {
    try {
      await checks(c, want, record);
    } catch (error) {
      // A session that failed on the way (its record is kept): the round's other checks are lost, not the run.
      const message = error instanceof Error ? error.message : String(error);
      record({
        name: `round-${round + 1}`,
        mode: "plugin",
        failures: [message.split("\n")[0] ?? message],
        facts: "",
      });
    }
  }
  return results;
}

/** What starting node costs a hook here, at the least: the excess a typed prompt's latency may not reach. */
const NODE_START_MS = 60;

async function checks(
  c: Ctx,
  want: (name: string) => boolean,
  record: (r: InteractiveResult) => void,
): Promise<void> {
  // 1. Three shells at the idle prompt (its native wake-up count is off mode's reference too).
  let nativeWakes = 1;
  if (want("three-shells") || want("off-mode")) {
    const native = await threeIdle(c, "baseline");
    const nativeScreen = screenFacts(native.screen);
    nativeWakes = native.a.wakeUps.length;
    record({
      name: "three-shells",
      mode: "baseline",
      failures: Object.entries(toldCounts(native.a))
        .filter(([, n]) => n !== 1)
        .map(([id, n]) => `${id} told ${n}×`),
      facts: `wake-ups=${nativeWakes} screen lines=${nativeScreen.lines} task lines=${nativeScreen.taskLines}`,
    });
    const plugin = await threeIdle(c, "plugin");
    const pluginScreen = screenFacts(plugin.screen);
    const f: string[] = [];
    for (const [id, n] of Object.entries(toldCounts(plugin.a)))
      if (n !== 1) f.push(`${id} told ${n}× to the model`);
    if (plugin.a.wakeUps.length !== 1) f.push(`expected 1 wake-up, saw ${plugin.a.wakeUps.length}`);
    if (pluginScreen.blockedLines > 0)
      f.push(`${pluginScreen.blockedLines} "blocked by hook" line(s) on the screen`);
    if (!pluginScreen.failedLine) f.push("the screen does not show that job c failed");
    if (pluginScreen.taskLines !== 3)
      f.push(`expected a readable line per task, saw ${pluginScreen.taskLines}`);
    if (pluginScreen.lines > nativeScreen.lines)
      f.push(`the screen has more lines than natively (${pluginScreen.lines} vs ${nativeScreen.lines})`);
    const bytes = (a: RunAnalysis) => a.infos.reduce((n, i) => n + i.req.rawBody.length, 0);
    record({
      name: "three-shells",
      mode: "plugin",
      failures: f,
      facts: `wake-ups=${plugin.a.wakeUps.length} (native ${nativeWakes}) screen lines=${pluginScreen.lines} (native ${nativeScreen.lines}) request bytes=${bytes(plugin.a)} (native ${bytes(native.a)})`,
    });
  }

  // 1b. Three background agents at the idle prompt: one wake-up, each report told once, and where the
  // module holds (it consumes each report) no row drawn for them.
  if (want("three-agents")) {
    const native = await agentsSession(c, "baseline");
    const nativeRows = agentReportRows(native.screen).length;
    record({
      name: "three-agents",
      mode: "baseline",
      failures:
        nativeRows === 0 ? ["no report row on the native screen: the row pattern is out of date"] : [],
      facts: `wake-ups=${native.a.wakeUps.length} report rows=${nativeRows}`,
    });
    const plugin = await agentsSession(c, "plugin");
    const rows = agentReportRows(plugin.screen);
    const f: string[] = [];
    const told = (x: (typeof AGENTS)[number]) =>
      plugin.a.infos.filter((i) => i.contextText.includes(x.result)).length;
    for (const x of AGENTS)
      if (told(x) !== 1) f.push(`${x.description}'s report told ${told(x)}× to the model`);
    if (plugin.a.wakeUps.length !== 1) f.push(`expected 1 wake-up, saw ${plugin.a.wakeUps.length}`);
    if (c.layer !== "hooks" && rows.length > 0)
      f.push(`${rows.length} report row(s) drawn: ${rows[0]?.trim()}`);
    record({
      name: "three-agents",
      mode: "plugin",
      failures: f,
      facts: `wake-ups=${plugin.a.wakeUps.length} (native ${native.a.wakeUps.length}) report rows=${rows.length} (native ${nativeRows})`,
    });
  }

  // 1c. The status line with what bg-notify saved: after three shells, the session's saved wake-ups and
  // tokens, as `bg-notify statusline --savings` prints them under the input box.
  if (want("statusline-savings")) {
    const saved = /bg .*· (\d+) wake-ups? saved · ≈[\d.]+ [kM]? ?tokens/;
    const settings = {
      statusLine: {
        type: "command",
        command: `node ${JSON.stringify(join(c.pluginDir, "dist", "cli.js"))} statusline --savings`,
      },
    };
    const f: string[] = [];
    let line = "";
    try {
      const run = await idleSession(c, "plugin", { settings, showing: saved });
      line =
        run.screen
          .split("\n")
          .find((l) => saved.test(l))
          ?.trim() ?? "";
      const n = Number(saved.exec(line)?.[1] ?? -1);
      // Natively three shells cost 2–3 wake-ups (OBSERVATIONS.md); the session used its own.
      if (!(n >= 1 && n <= 3 - run.a.wakeUps.length))
        f.push(`the line says ${n} wake-ups saved; three shells, ${run.a.wakeUps.length} wake-up(s) used`);
    } catch (error) {
      f.push(`no savings on the status line: ${(error as Error).message.split("\n")[0]}`);
    }
    record({
      name: "statusline-savings",
      mode: "plugin",
      failures: f,
      facts: `line=${JSON.stringify(line)}`,
    });
  }

  // 1d. Notices of a form bg-notify does not know (`<status>` renamed on their way to it): it steps aside,
  // every notice starts its turn as natively, and the screen says why once.
  if (want("changed-shape")) {
    const copy = mkdtempSync(join(tmpdir(), "bg-notify-tui-shape-"));
    const f: string[] = [];
    let facts = "";
    try {
      copyPlugin(c.pluginDir, copy);
      renameStatusOnTheWay(copy);
      const aside = /steps aside for this session/;
      const run = await idleSession({ ...c, pluginDir: copy }, "plugin", { showing: aside });
      for (const [id, n] of Object.entries(toldCounts(run.a)))
        if (n !== 1) f.push(`${id} told ${n}× to the model`);
      const held = run.a.infos.filter((i) => i.req.rawBody.includes("[bg-notify]")).length;
      if (held > 0) f.push(`${held} request(s) carry a bg-notify summary`);
      const said = run.screen.split(aside.source).length - 1;
      if (said !== 1) f.push(`the screen says it ${said} times`);
      facts = `wake-ups=${run.a.wakeUps.length} (native ${nativeWakes}) said=${said}`;
    } catch (error) {
      f.push((error as Error).message.split("\n")[0] ?? "failed");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    record({ name: "changed-shape", mode: "plugin", failures: f, facts });
  }

  // 2. Ten shells; a half-typed draft in the input box when the batch wakes the session.
  const ten = Array.from({ length: 10 }, (_, i) => bash(`sleep ${1 + i * 0.1}; echo ${i}`, `job ${i}`));
  for (const mode of want("ten-shells-draft") ? (["baseline", "plugin"] as const) : []) {
    const r = await idleSession(c, mode, { launch: ten, draft: "half typed dra" });
    const failures = Object.entries(toldCounts(r.a))
      .filter(([, n]) => n !== 1)
      .map(([id, n]) => `${id} told ${n}×`);
    const screen = screenFacts(r.screen);
    if (mode === "plugin") {
      if (r.a.wakeUps.length > 2) failures.push(`10 shells cost ${r.a.wakeUps.length} wake-ups`);
      if (screen.blockedLines > 0) failures.push(`${screen.blockedLines} "blocked by hook" line(s)`);
    }
    if (!r.inputLine.includes("half typed dra"))
      failures.push(`the draft did not survive: ${JSON.stringify(r.inputLine)}`);
    record({
      name: "ten-shells-draft",
      mode,
      failures,
      facts: `wake-ups=${r.a.wakeUps.length} screen lines=${screen.lines} draft kept=${r.inputLine.includes("half typed dra")}`,
    });
  }

  // 3. /exit with a batch pending, then --continue.
  for (const mode of want("exit-continue") ? (["baseline", "plugin"] as const) : []) {
    const a = await exitThenContinue(c, mode);
    const failures = Object.entries(toldCounts(a))
      .filter(([, n]) => n !== 1)
      .map(([id, n]) => `${id} told ${n}× across both processes`);
    if (a.tasks.length !== 3) failures.push(`expected 3 tasks, saw ${a.tasks.length}`);
    const orphan = a.infos.some((i) => /didn't finish before the previous session ended/.test(i.contextText));
    if (mode === "plugin" && orphan) failures.push("the resume reported held tasks as not finished");
    record({
      name: "exit-continue",
      mode,
      failures,
      facts: `wake-ups=${a.wakeUps.length} orphan report=${orphan}`,
    });
  }

  // 3b. The same across the due moment (the acknowledgement issue's sweep, reduced here;
  // BG_NOTIFY_E2E_FULL_SWEEP=1 for −300 … +300 ms in 50 ms steps).
  const offsets =
    process.env["BG_NOTIFY_E2E_FULL_SWEEP"] === "1"
      ? Array.from({ length: 13 }, (_, i) => -300 + 50 * i)
      : [-200, 0, 200];
  for (const offset of want("exit-sweep") ? offsets : []) {
    const a = await exitThenContinue(c, "plugin", offset);
    const failures = Object.entries(toldCounts(a))
      .filter(([, n]) => n !== 1)
      .map(([id, n]) => `${id} told ${n}× across both processes`);
    if (a.tasks.length !== 3) failures.push(`expected 3 tasks, saw ${a.tasks.length}`);
    record({
      name: `exit-sweep${offset >= 0 ? "+" : ""}${offset}`,
      mode: "plugin",
      failures,
      facts: `wake-ups=${a.wakeUps.length}`,
    });
  }

  // 4. Off is off: the same session as without the plugin, and nothing written.
  if (want("off-mode")) {
    const off = await threeIdle(c, "plugin", { BG_NOTIFY_MODE: "off" });
    const offFailures: string[] = [];
    if (existsSync(join(off.project, ".claude", "bg-notify")))
      offFailures.push("off mode created .claude/bg-notify/");
    if (off.a.wakeUps.length !== nativeWakes)
      offFailures.push(`off mode: ${off.a.wakeUps.length} wake-ups, natively ${nativeWakes}`);
    const offScreen = screenFacts(off.screen);
    if (offScreen.stopLines > 0 || offScreen.blockedLines > 0)
      offFailures.push("off mode left hook lines on the screen");
    record({
      name: "off-mode",
      mode: "plugin",
      failures: offFailures,
      facts: `wake-ups=${off.a.wakeUps.length}`,
    });
  }
  // 5. Prompts typed while a shell runs: the command hooks queue their turns without node (where the
  // module holds, no command hook starts node at all: typed-prompt counts that).
  if (want("typed-while-running") && c.layer === "hooks") record(await typedWhileRunning(c));
  if (!want("typed-prompt")) return;

  // 6. A typed prompt with nothing running or owed: no later than natively + 20 ms.
  // Sessions alternate, so that neither meets a warmer or a busier machine; the figure is noisy
  // (30–130 ms per prompt here), so medians of 18 each.
  const rounds = 6;
  const nativeMs: number[] = [];
  const pluginMs: number[] = [];
  const floorMs: number[] = [];
  const floorDir = trivialHookPlugin(mkdtempSync(join(tmpdir(), "bg-notify-floor-")));
  const counted = countingNode(mkdtempSync(join(tmpdir(), "bg-notify-node-")));
  try {
    for (let i = 0; i < 3; i++) {
      nativeMs.push(...(await promptLatency(c, "baseline", rounds)));
      pluginMs.push(...(await promptLatency(c, "plugin", rounds, counted.env)));
      floorMs.push(...(await promptLatency({ ...c, pluginDir: floorDir }, "plugin", rounds)));
    }
  } finally {
    rmSync(floorDir, { recursive: true, force: true });
  }
  const extra = median(pluginMs) - median(nativeMs);
  const overFloor = median(pluginMs) - median(floorMs);
  const nodeStarts = counted.starts();
  // What the fast path promises is that such a prompt starts no node (each start is 60+ ms here): that
  // is counted exactly. The latency is the figure to read (goal: native + 20 ms, about what Claude
  // Code's own cost of any sync UserPromptSubmit hook is here). Medians of 18 prompts at 30–130 ms each
  // differ by 10–30 ms between runs (the hooks module, same tree: +16 and +31 ms over the no-op hook
  // here, +44 ms once in CI), so only an excess of a node start's size (60 ms) fails it.
  const promptStarts = nodeStarts.filter((b) => !/^session-(start|end)\.js$/.test(b));
  const counting = nodeStarts.includes("session-start.js");
  const slow = extra > 20 && overFloor > NODE_START_MS;
  const ok = counting && promptStarts.length === 0 && !slow;
  record({
    name: "typed-prompt",
    mode: "plugin",
    failures: ok
      ? []
      : [
          ...(counting ? [] : ["the counting node was never started: its count proves nothing"]),
          ...(promptStarts.length > 0
            ? [`node was started for a quiet session's prompts: ${[...new Set(promptStarts)].join(", ")}`]
            : []),
          ...(slow
            ? [
                `a typed prompt reached the API ${extra.toFixed(0)} ms later than natively (${overFloor.toFixed(0)} ms over a one-hook plugin)`,
              ]
            : []),
        ],
    facts: `node started ${promptStarts.length}× for prompts, ${nodeStarts.length - promptStarts.length}× at session start/end; Enter → request: plugin ${median(pluginMs).toFixed(0)} ms, native ${median(nativeMs).toFixed(0)} ms, one no-op hook ${median(floorMs).toFixed(0)} ms (medians of ${pluginMs.length}; +${extra.toFixed(0)} ms over native, ${overFloor >= 0 ? "+" : ""}${overFloor.toFixed(0)} ms over the no-op hook)`,
  });
}
