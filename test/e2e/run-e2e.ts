/**
 * End-to-end suite: runs every scenario against the real Claude Code CLI (pinned, installed into a
 * cache dir outside the repo) and a loopback Messages API stub, without the plugin (baseline) and
 * with it (`--plugin-dir <repo>`), prints a table and exits non-zero when an assertion fails.
 *
 *   npm run test:e2e                          # everything
 *   npm run test:e2e -- --only=baseline       # native behaviour only
 *   npm run test:e2e -- --only=plugin --scenario=three-shells,mid-turn
 *   npm run test:e2e -- --interactive=only --tui=ten-shells-draft --repeat=5
 *   options: --concurrency=N (default 2)  --plugin-dir=DIR (default: repo root)  --verbose  --keep
 *            --claude-version=X.Y.Z (another Claude Code than the pinned one, installed once into its own
 *            cache; `minimum`: the oldest bg-notify holds on, core/host.ts MIN_CLAUDE_CODE)
 *            --out=DIR (per-run JSON records; default $TMPDIR/bg-notify-e2e-results/<timestamp>)
 *            --no-netns (by default, on Linux where `unshare -n` works, the suite re-runs itself inside a
 *            fresh network namespace that has only loopback, so nothing but 127.0.0.1 is reachable)
 *   env: BG_NOTIFY_E2E_CACHE (CLI cache dir), BG_NOTIFY_E2E_IDLE_MS (quiet time before closing stdin,
 *        default 4000), BG_NOTIFY_E2E_SUMMARY_RE (regex for the summarize-mode summary)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MIN_CLAUDE_CODE } from "../../src/core/host.ts";
import { readModuleSessions } from "../../src/store/module-records.ts";
import { analyzeRun, type RunAnalysis } from "./analyze.ts";
import { CLAUDE_CODE_VERSION, ensureClaudeCli } from "./claude-cli.ts";
import { countingNode } from "./counting-node.ts";
import { installFromMarketplace } from "./install.ts";
import { runInteractive } from "./interactive.ts";
import { MessagesApiStub } from "./messages-api-stub.ts";
import { backgroundSettled, type RunClaudeResult, runClaude } from "./run-claude.ts";
import { copyPlugin, type E2EScenario, SCENARIOS } from "./scenarios.ts";

/**
 * baseline: no plugin; plugin: bg-notify as Claude Code loads it, the hooks module holding; hooks: the
 * same plugin with `BG_NOTIFY_LAYER=hooks`, the command hooks holding (what older or restricted Claude
 * Code sessions get).
 */
type Mode = "baseline" | "plugin" | "hooks";
const MODES: readonly Mode[] = ["baseline", "plugin", "hooks"];

interface JobResult {
  scenario: E2EScenario;
  mode: Mode;
  analysis: RunAnalysis;
  failures: string[];
  durationMs: number;
  exitCode: number | null;
  /** what the scenario's `inspectPlugin` read of a plugin run */
  inspected?: unknown;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function arg(name: string): string | undefined {
  const pre = `--${name}=`;
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(pre));
  if (hit === undefined) return undefined;
  return hit.startsWith(pre) ? hit.slice(pre.length) : "true";
}

async function runJob(
  claudeBin: string,
  scenario: E2EScenario,
  mode: Mode,
  opts: { pluginDir: string; verbose: boolean; keep: boolean; outDir: string; idleMs: number },
): Promise<JobResult> {
  const stub = new MessagesApiStub({ scenario: scenario.script, verbose: opts.verbose });
  await stub.start();
  const label = `${scenario.name}-${mode}`;
  const withPlugin = mode !== "baseline";
  const pluginCopy =
    withPlugin && scenario.changePlugin ? mkdtempSync(join(tmpdir(), "bg-notify-e2e-plugin-")) : undefined;
  if (pluginCopy && scenario.changePlugin) {
    copyPlugin(opts.pluginDir, pluginCopy);
    scenario.changePlugin(pluginCopy);
  }
  const pluginDir = pluginCopy ?? opts.pluginDir;
  const installed = withPlugin && scenario.install === "marketplace";
  const othersDir = scenario.otherPlugins ? mkdtempSync(join(tmpdir(), "bg-notify-e2e-others-")) : undefined;
  const otherArgs = othersDir
    ? (scenario.otherPlugins?.(othersDir) ?? []).flatMap((d) => ["--plugin-dir", d])
    : [];
  const wrap = withPlugin ? scenario.wrapPlugin?.() : undefined;
  // In a session the module holds, the command hooks' node is counted: it must start for none of them.
  const counted =
    mode === "plugin" && !scenario.wrapPlugin && scenario.env?.["BG_NOTIFY_NODE"] === undefined
      ? countingNode(mkdtempSync(join(tmpdir(), "bg-notify-e2e-node-")), { stateDir: false })
      : undefined;
  const env = {
    ...scenario.env,
    ...(mode === "hooks" ? { BG_NOTIFY_LAYER: "hooks" } : {}),
    ...(counted ? counted.env : {}),
  };
  try {
    if (typeof wrap === "string") throw new Error(wrap);
    const r = await runClaude({
      claudeBin,
      stub,
      label,
      prompt: scenario.prompt,
      allowedTools: scenario.allowedTools,
      ...(withPlugin && !installed ? { pluginDir } : {}),
      env,
      ...(otherArgs.length > 0 ? { extraArgs: otherArgs } : {}),
      ...(scenario.projectAt ? { at: scenario.projectAt } : {}),
      ...(wrap ? { wrap } : {}),
      ...(scenario.laterPrompts ? { laterPrompts: scenario.laterPrompts } : {}),
      ...(scenario.prepare || installed
        ? {
            prepare: (dirs: { home: string; project: string; root: string }) => {
              scenario.prepare?.(dirs);
              if (installed) installFromMarketplace(claudeBin, pluginDir, dirs, stub.url);
            },
          }
        : {}),
      settled: backgroundSettled(scenario.expectedTasks),
      ...(scenario.closeWhen ? { closeWhen: scenario.closeWhen() } : {}),
      ...(scenario.sendWhen ? { sendWhen: scenario.sendWhen() } : {}),
      idleMs: opts.idleMs,
      timeoutMs: scenario.timeoutMs ?? 60_000,
      keepTemp: opts.keep || withPlugin || scenario.followUp !== undefined,
    });
    const failures: string[] = [];
    let second: Awaited<ReturnType<typeof runClaude>> | undefined;
    if (scenario.followUp) {
      // The same session again, in a second process: what it tells the model counts with the first's.
      stub.state.process = 2;
      second = await runClaude({
        claudeBin,
        stub,
        label: `${label}-2`,
        prompt: scenario.followUp.prompt,
        allowedTools: scenario.allowedTools,
        ...(withPlugin && !installed ? { pluginDir } : {}),
        env,
        extraArgs: [...otherArgs, ...scenario.followUp.args],
        dirs: { root: r.root, home: r.home, project: r.project, cwd: r.cwd },
        settled: backgroundSettled(0),
        idleMs: 2500,
        timeoutMs: 60_000,
        keepTemp: opts.keep || withPlugin,
      });
    }
    const analysis = analyzeRun(stub.requests);
    for (const run of second ? [r, second] : [r]) {
      if (run.timedOut) failures.push("timed out waiting for background work to settle");
      if (run.exitCode !== 0)
        failures.push(`CLI exited with ${run.exitCode ?? run.signal}: ${run.stderr.trim().slice(0, 300)}`);
    }
    for (const e of stub.errors) failures.push(e);
    failures.push(
      ...(mode === "baseline" ? scenario.assertBaseline(analysis) : scenario.assertPlugin(analysis)),
    );
    if (withPlugin && scenario.checkPlugin)
      failures.push(...scenario.checkPlugin(second ?? r, analysis, stub.started));
    const inspected = withPlugin ? scenario.inspectPlugin?.(second ?? r) : undefined;
    if (mode === "plugin" && scenario.moduleLoads !== false)
      failures.push(...expectModuleHeld(stub, r, counted?.starts()));
    if (counted) rmSync(counted.dir, { recursive: true, force: true });
    if (pluginCopy) rmSync(pluginCopy, { recursive: true, force: true });
    if (othersDir) rmSync(othersDir, { recursive: true, force: true });
    if ((withPlugin || scenario.followUp) && !opts.keep) rmSync(r.root, { recursive: true, force: true });
    writeFileSync(
      join(opts.outDir, `${label}.json`),
      JSON.stringify(
        {
          scenario: scenario.name,
          mode,
          // As the CLI itself says it in every request (`claude-cli/<version> …`).
          claudeVersion: cliVersionOf(stub),
          failures,
          run: { ...r, stdout: undefined },
          // The stream-json events that told the person bg-notify stepped aside (what a -p host sees).
          asideEvents: r.stdout
            .split("\n")
            .filter((line) => line.includes("steps aside for this session"))
            .slice(0, 5),
          wakeUps: analysis.wakeUps.map((w) => ({
            seq: w.req.seq,
            at: w.req.at,
            kind: w.wakeKind,
            text: w.contextText,
          })),
          tasks: analysis.tasks,
          delivered: analysis.delivered,
          requests: stub.requests.map((q) => ({ ...q, rawBody: undefined })),
        },
        null,
        1,
      ),
    );
    return { scenario, mode, analysis, failures, durationMs: r.durationMs, exitCode: r.exitCode, inspected };
  } finally {
    await stub.stop();
  }
}

function cliVersionOf(stub: MessagesApiStub): string | undefined {
  for (const q of stub.requests) {
    const agent = q.headers["user-agent"];
    const match = /claude-cli\/(\d+\.\d+\.\d+)/.exec(Array.isArray(agent) ? (agent[0] ?? "") : (agent ?? ""));
    if (match) return match[1];
  }
  return undefined;
}

/**
 * A session the hooks module holds: it kept its record, no request carries a command hook's hold
 * ("Operation stopped by hook"), and the command hooks start no node but SessionStart's (it runs before
 * the module's session.start has marked the process); the CLI (`bg-notify` from the Bash tool) may.
 */
function expectModuleHeld(
  stub: MessagesApiStub,
  run: RunClaudeResult,
  nodeStarts: string[] | undefined,
): string[] {
  const f: string[] = [];
  const session = readModuleSessions({ HOME: run.home }, run.project)[0];
  if (!session) return ["the hooks module kept no session record (did it load?)"];
  // A configuration the module does not serve (summarize, concurrency limits) leaves the command hooks.
  if (session.layer.name !== "module") return [];
  const stopped = stub.requests.filter((q) =>
    JSON.stringify(q.body ?? "").includes("Operation stopped by hook"),
  );
  if (stopped.length > 0) f.push(`${stopped.length} request(s) carry "Operation stopped by hook"`);
  const hookNodes = (nodeStarts ?? []).filter((b) => b !== "session-start.js" && b !== "cli.js");
  if (hookNodes.length > 0)
    f.push(`command hooks started node in a module session: ${[...new Set(hookNodes)].join(", ")}`);
  return f;
}

async function pool<T>(items: Array<() => Promise<T>>, n: number): Promise<T[]> {
  const out: T[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await items[i]!();
      }
    }),
  );
  return out;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** Can we make a network namespace with only loopback up? (root, or unprivileged userns) */
function netnsAvailable(): boolean {
  if (process.platform !== "linux") return false;
  const r = spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up"], {
    stdio: "ignore",
    timeout: 10_000,
  });
  return r.status === 0;
}

/**
 * Re-run this very process inside a new network namespace (loopback only). Returns the child's exit
 * code, or undefined when isolation is off / unavailable / already in place.
 */
function reexecInNetns(): number | undefined {
  if (process.env.BG_NOTIFY_E2E_IN_NETNS === "1" || process.argv.includes("--no-netns")) return undefined;
  if (!netnsAvailable()) {
    process.stderr.write(
      "[e2e] note: `unshare -n` unavailable; running without network isolation (proxy safety net only)\n",
    );
    return undefined;
  }
  const r = spawnSync(
    "unshare",
    [
      "-n",
      "sh",
      "-c",
      'ip link set lo up && exec "$@"',
      "sh",
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: "inherit", env: { ...process.env, BG_NOTIFY_E2E_IN_NETNS: "1" } },
  );
  return r.status ?? 1;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  // Install (needs the npm registry) before isolating the network; one cached install per version.
  // `minimum`: the oldest Claude Code bg-notify holds on (core/host.ts), the one CI checks beside the pin.
  const asked = arg("claude-version");
  const claudeVersion = asked === "minimum" ? MIN_CLAUDE_CODE : (asked ?? CLAUDE_CODE_VERSION);
  const claudeBin = ensureClaudeCli({ version: claudeVersion });
  const names = arg("scenario")?.split(",").filter(Boolean);
  const scenarios = SCENARIOS.filter(
    (s) => (!names || names.includes(s.name)) && arg("interactive") !== "only",
  );
  // A scenario that names its own Claude Code (an older one) runs every mode on it.
  const binOf = new Map<string, string>();
  for (const s of scenarios)
    if (s.claudeVersion !== undefined && !binOf.has(s.claudeVersion))
      binOf.set(s.claudeVersion, ensureClaudeCli({ version: s.claudeVersion }));
  const code = reexecInNetns();
  if (code !== undefined) {
    process.exitCode = code;
    return;
  }
  const only = arg("only") as Mode | undefined;
  const concurrency = Number(arg("concurrency") ?? 2);
  const pluginDir = resolve(arg("plugin-dir") ?? REPO_ROOT);
  const verbose = arg("verbose") === "true";
  const keep = arg("keep") === "true";
  const idleMs = Number(process.env.BG_NOTIFY_E2E_IDLE_MS ?? 4000);
  const outDir =
    arg("out") ?? join(tmpdir(), "bg-notify-e2e-results", new Date().toISOString().replace(/[:.]/g, "-"));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, "run.json"),
    JSON.stringify({ claudeVersion, claudeBin, argv: process.argv.slice(2) }),
  );

  if (names) {
    const unknown = names.filter((n) => n !== "tui" && !SCENARIOS.some((s) => s.name === n));
    if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(", ")}`);
  }
  if (only !== undefined && !MODES.includes(only)) throw new Error(`--only takes ${MODES.join(", ")}`);
  const modes: Mode[] = only ? [only] : [...MODES];
  if (modes.some((m) => m !== "baseline") && !existsSync(join(pluginDir, ".claude-plugin", "plugin.json"))) {
    process.stderr.write(
      `[e2e] warning: ${pluginDir} has no .claude-plugin/plugin.json yet; plugin runs will likely fail\n`,
    );
  }

  process.stderr.write(
    `[e2e] Claude Code ${claudeVersion}: ${claudeBin}\n[e2e] ${scenarios.length} scenario(s) x ${modes.join("+")}, concurrency ${concurrency}, network: ${
      process.env.BG_NOTIFY_E2E_IN_NETNS === "1" ? "isolated netns (loopback only)" : "host (loopback stub)"
    }, records in ${outDir}\n`,
  );

  const jobs = scenarios.flatMap((s) =>
    modes.map((m) => async () => {
      // A job that cannot even run (an install that fails, a wrapper missing) fails alone, named.
      const bin = s.claudeVersion !== undefined ? (binOf.get(s.claudeVersion) ?? claudeBin) : claudeBin;
      const r = await runJob(bin, s, m, { pluginDir, verbose, keep, outDir, idleMs }).catch(
        (error: unknown): JobResult => ({
          scenario: s,
          mode: m,
          analysis: analyzeRun([]),
          failures: [`could not run: ${error instanceof Error ? error.message : String(error)}`],
          durationMs: 0,
          exitCode: null,
          inspected: undefined,
        }),
      );
      process.stderr.write(
        `[e2e] ${pad(`${s.name}/${m}`, 24)} ${r.failures.length ? "FAIL" : "ok  "} wake-ups=${r.analysis.wakeUps.length} delivered=${r.analysis.delivered.length}/${r.analysis.tasks.length} (${(r.durationMs / 1000).toFixed(1)}s${s.claudeVersion ? `, Claude Code ${s.claudeVersion}` : ""})\n`,
      );
      return r;
    }),
  );
  const results = await pool(jobs, concurrency);
  // A plugin run weighed against the native run of the same turns (savings): only when both ran.
  for (const r of results) {
    if (r.mode === "baseline" || !r.scenario.compare) continue;
    const native = results.find((n) => n.scenario === r.scenario && n.mode === "baseline");
    if (native) r.failures.push(...r.scenario.compare(native.analysis, r.analysis, r.inspected));
    else process.stderr.write(`[e2e] ${r.scenario.name}/${r.mode}: no native run to compare with\n`);
  }
  // The terminal UI, one session at a time (tmux panes are timing-sensitive): `--interactive=only` runs
  // just these, `--no-interactive` skips them; a --scenario filter skips them unless it names "tui".
  const interactiveArg = arg("interactive");
  const runTui =
    !process.argv.includes("--no-interactive") &&
    (!names || names.includes("tui") || interactiveArg === "only");
  // Once for each layer asked for: the hooks module (mode plugin) and the command hooks (mode hooks).
  const layers = (["module", "hooks"] as const).filter((l) =>
    modes.includes(l === "module" ? "plugin" : "hooks"),
  );
  const tui: Awaited<ReturnType<typeof runInteractive>> = [];
  for (const layer of runTui ? layers : [])
    tui.push(
      ...(await runInteractive(
        {
          claudeBin,
          pluginDir,
          layer,
          outDir,
          ...(arg("tui") ? { only: arg("tui")!.split(",").filter(Boolean) } : {}),
          repeat: Number(arg("repeat") ?? 1),
        },
        (l) => process.stderr.write(`${l}\n`),
      )),
    );

  // table
  const get = (s: E2EScenario, m: Mode) => results.find((r) => r.scenario === s && r.mode === m);
  const cell = (r: JobResult | undefined, f: (r: JobResult) => string) => (r ? f(r) : "-");
  const header = [
    "scenario",
    "native wake-ups",
    "module wake-ups",
    "hooks wake-ups",
    "delivered native",
    "delivered module",
    "delivered hooks",
    "result",
  ];
  const rows = scenarios.map((s) => {
    const runs = MODES.map((m) => get(s, m));
    const failed = MODES.filter((_, i) => (runs[i]?.failures.length ?? 0) > 0);
    return [
      s.name,
      ...runs.map((run) => cell(run, (r) => String(r.analysis.wakeUps.length))),
      ...runs.map((run) => cell(run, (r) => `${r.analysis.delivered.length}/${s.expectedTasks}`)),
      failed.length === 0 ? "pass" : `FAIL (${failed.join(", ")})`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: string[]) => `| ${cols.map((c, i) => pad(c, widths[i]!)).join(" | ")} |`;
  const out: string[] = [
    "",
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
    "",
  ];
  for (const r of results) {
    if (!r.failures.length) continue;
    out.push(`FAIL ${r.scenario.name} [${r.mode}]`);
    for (const f of r.failures) out.push(`  - ${f}`);
  }
  for (const r of tui) {
    if (!r.failures.length) continue;
    out.push(`FAIL tui:${r.name} [${r.mode}]`);
    for (const f of r.failures) out.push(`  - ${f}`);
  }
  const failed =
    results.filter((r) => r.failures.length).length + tui.filter((r) => r.failures.length).length;
  const passed = results.length + tui.length - failed;
  out.push(
    "",
    `e2e (Claude Code ${claudeVersion}): ${passed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)}s; records: ${outDir})`,
  );
  process.stdout.write(`${out.join("\n")}\n`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 2;
});
