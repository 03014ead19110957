// `bg-notify doctor`: checks what commonly breaks an install: node, the state directory and lock, the
// config file, the hooks.json wiring against the built dist/ entries, and version agreement.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { enabledPlugins, installPaths, type PromptHook, promptHooksOf } from "../../claude/prompt-hooks.js";
import { describeError, isBgNotifyError } from "../../core/errors.js";
import { isAtLeast, MIN_CLAUDE_CODE, versionParts } from "../../core/host.js";
import { LAYER_MARKER_ENV, LAYER_MARKER_VALUE } from "../../core/protocol.js";
import { chooseLayer } from "../../module/layer.js";
import { bundleOfLauncherArgs, HOOKS_MODULE, LAUNCHER } from "../../plugin/hook-table.js";
import { QUEUED_INPUTS } from "../../plugin/inbox-fold.js";
import { loadHookCommands } from "../../replay/hooks-file.js";
import { loadConfig } from "../../store/config-file.js";
import { readModuleSessions } from "../../store/module-records.js";
import { type StateLayout, verifyStateDir } from "../../store/paths.js";
import { foundAt } from "../../store/safe-fs.js";
import { readState } from "../../store/transaction.js";
import {
  COMMON_OPTIONS,
  EXIT_FAILURE,
  EXIT_OK,
  STATE_OPTIONS,
  stateLocation,
  stringOption,
} from "../args.js";
import type { Command } from "../command.js";
import { describeLock, lockHealth } from "../inspect.js";
import { readJsonFile } from "../plugin-root.js";

const HELP = `Usage: bg-notify doctor [options]

Checks the installation and this project's state: node (version and path, and that hooks can find
\`node\` on PATH), the state directory is writable, the state file is sound and the lock not stale,
.claude/bg-notify.json and BG_NOTIFY_* are valid (naming a bad key), which delivery layer holds (the
in-process hooks module or the command hooks, and why), every hook hooks/hooks.json names is a built
dist/ entry run with plain node (no tsx/npx), and .claude-plugin/plugin.json's version matches
package.json's.

Options:
  --state-dir DIR    check this state directory (default: BG_NOTIFY_STATE_DIR, else <project>/.claude/bg-notify)
  --project-dir DIR  the project to check (default: CLAUDE_PROJECT_DIR or the current directory)
  --plugin-root DIR  check another copy of the plugin (default: the one this CLI is in)
  --json             print one JSON object
  -h, --help         show this help

Exit status: 0 every check passed (warnings allowed); 1 a check failed; 2 bad arguments.`;

type CheckStatus = "ok" | "warn" | "fail";

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

const MIN_NODE_MAJOR = 20;

/** The core's warnings are written for hook output; here the prefix is noise. */
function plain(warnings: readonly string[]): string {
  return warnings.map((w) => w.replace(/^bg-notify: /, "")).join("; ");
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {}
  }
  return undefined;
}

/** `claude --version` on this PATH, against MIN_CLAUDE_CODE. */
export function claudeVersionCheck(env: NodeJS.ProcessEnv): Check {
  const claude = findOnPath("claude", env);
  if (!claude)
    return {
      name: "Claude Code",
      status: "warn",
      detail: `no \`claude\` on PATH to check; bg-notify needs Claude Code ${MIN_CLAUDE_CODE} or later`,
    };
  const run = spawnSync(claude, ["--version"], { env, encoding: "utf8", timeout: 10_000 });
  const version = versionParts(run.stdout ?? "");
  if (!version)
    return { name: "Claude Code", status: "warn", detail: `${claude} --version said nothing usable` };
  const ok = isAtLeast(version.join("."));
  return {
    name: "Claude Code",
    status: ok ? "ok" : "fail",
    detail: `${version.join(".")} at ${claude}${
      ok
        ? ""
        : ` (bg-notify is tested on ${MIN_CLAUDE_CODE} or later; on this one it steps aside in every session and holds nothing)`
    }`,
  };
}

function nodeChecks(env: NodeJS.ProcessEnv, pluginRoot: string): Check[] {
  const major = Number(process.versions.node.split(".")[0]);
  const onPath = findOnPath(process.platform === "win32" ? "node.exe" : "node", env);
  // The node the hooks' launcher finds: the PATH, a recorded path, version managers, system places.
  const launcher = join(pluginRoot, "hooks", "run");
  const found = existsSync(launcher)
    ? spawnSync(existsSync("/bin/sh") ? "/bin/sh" : "sh", [launcher, "which-node"], {
        env,
        encoding: "utf8",
        timeout: 10_000,
      })
    : undefined;
  const hookNode = found?.status === 0 ? found.stdout.trim() : undefined;
  return [
    {
      name: "node",
      status: major >= MIN_NODE_MAJOR ? "ok" : "fail",
      detail: `${process.version} at ${process.execPath}${major >= MIN_NODE_MAJOR ? "" : ` (bg-notify needs node ${MIN_NODE_MAJOR} or later)`}`,
    },
    hookNode
      ? {
          name: "node for hooks",
          status: "ok",
          detail: `${hookNode} (found by hooks/run${onPath ? "" : "; not on this PATH"}${env["CLAUDE_PLUGIN_DATA"] ? `; kept in ${join(env["CLAUDE_PLUGIN_DATA"], "node-path")}` : ""})`,
        }
      : {
          name: "node for hooks",
          status: "fail",
          detail:
            "hooks/run finds no node >= 20 (PATH, volta, nvm, fnm, mise, asdf, Homebrew, /usr/local/bin, /usr/bin): every hook then passes its event through untouched, so notices arrive natively. Install Node.js 20+, set BG_NOTIFY_NODE, or run /bg-notify:setup from a shell that has node",
        },
  ];
}

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/** A shell word for a path, quoted when it needs it. */
function shellWord(path: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

/** The one command that makes `path` something bg-notify may use again, for what was found there. */
function fixFor(path: string, found: string): string {
  if (/symbolic link/.test(found)) return `rm ${shellWord(path)} (removes the link only)`;
  if (/other users can write/.test(found)) return `chmod go-w ${shellWord(path)}`;
  return `rm -r ${shellWord(path)} (bg-notify makes it again)`;
}

/**
 * The store's rule, asked the store's way: every directory bg-notify uses under the project real and the
 * user's, no link among its files. A violation turns bg-notify off for the project until it is fixed.
 */
export function safetyCheck(layout: StateLayout): Check {
  try {
    verifyStateDir(layout);
  } catch (error) {
    if (!isBgNotifyError(error, "EUNSAFE"))
      return { name: "state safety", status: "fail", detail: describeError(error) };
    const path = error.path ?? layout.dir;
    const found = foundAt(error);
    return {
      name: "state safety",
      status: "fail",
      detail: `${path} is ${found}: bg-notify holds nothing in this project and every notice passes natively. Fix: ${fixFor(path, found)}${layout.parent !== undefined ? ", or set BG_NOTIFY_STATE_DIR to a directory of yours" : ""}`,
    };
  }
  return {
    name: "state safety",
    status: "ok",
    detail: `no link and no other user's entry in ${layout.parent ?? layout.dir}${layout.parent !== undefined ? "/bg-notify" : ""}`,
  };
}

function stateChecks(layout: StateLayout): Check[] {
  const dir = layout.dir;
  const safety = safetyCheck(layout);
  // Nothing past a violation is looked at: doctor follows no link either.
  if (safety.status === "fail") return [safety];
  const checks: Check[] = [safety];
  const exists = existsSync(dir);
  const target = exists ? dir : nearestExisting(dir);
  try {
    if (!statSync(target).isDirectory()) throw new Error(`${target} is not a directory`);
    accessSync(target, constants.W_OK | constants.X_OK);
    checks.push({
      name: "state directory",
      status: "ok",
      detail: exists ? `${dir} (writable)` : `${dir} (not created yet; ${target} is writable)`,
    });
  } catch (error) {
    checks.push({
      name: "state directory",
      status: "fail",
      detail: `${dir}: not writable (${describeError(error)})`,
    });
  }
  if (!exists) return checks;
  const warnings: string[] = [];
  try {
    const state = readState(layout, warnings, QUEUED_INPUTS);
    const owed = state.batches.filter((b) => b.deliveredAt === undefined).length;
    checks.push(
      warnings.length > 0
        ? { name: "state file", status: "fail", detail: plain(warnings) }
        : {
            name: "state file",
            status: "ok",
            detail: `${Object.keys(state.tasks).length} task(s), ${owed} batch(es) owed`,
          },
    );
  } catch (error) {
    checks.push({ name: "state file", status: "fail", detail: describeError(error) });
  }
  const lock = describeLock(lockHealth(dir, Date.now()));
  checks.push({ name: "state lock", status: lock.trouble ? "fail" : "ok", detail: lock.text });
  return checks;
}

function configCheck(env: NodeJS.ProcessEnv, cwd: string): Check {
  const { config, warnings } = loadConfig({ env, cwd });
  if (warnings.length > 0) return { name: "config", status: "fail", detail: plain(warnings) };
  return {
    name: "config",
    status: "ok",
    detail: `mode ${config.mode}, batch window ${config.batchWindowMs} ms, max batch ${config.maxBatchSize}`,
  };
}

const RUNNERS = /(^|[\\/\s])(npx|tsx|ts-node|bunx|pnpx)(\s|$|\.)/;

export function wiringChecks(pluginRoot: string): Check[] {
  let commands: ReturnType<typeof loadHookCommands>;
  try {
    commands = loadHookCommands(pluginRoot);
  } catch (error) {
    return [
      { name: "hooks.json", status: "fail", detail: `cannot load hooks/hooks.json: ${describeError(error)}` },
    ];
  }
  if (commands.length === 0)
    return [{ name: "hooks.json", status: "fail", detail: "hooks/hooks.json names no command hooks" }];
  const problems: string[] = [];
  const dist = join(pluginRoot, "dist") + sep;
  const referenced = new Set<string>();
  for (const command of commands) {
    const where = `${command.event} → ${[command.command, ...command.args].join(" ")}`;
    if (RUNNERS.test([command.command, ...command.args].join(" ")))
      problems.push(
        `${where}: runs through a TypeScript runner or npx; hooks must run the built bundle with plain node`,
      );
    else if (command.command !== "sh" || bundleOfLauncherArgs(command.args) === undefined)
      problems.push(`${where}: the command should be \`sh \${CLAUDE_PLUGIN_ROOT}/${LAUNCHER} <hook>\``);
    const launcher = command.args[0];
    if (command.command === "sh" && launcher !== undefined && !existsSync(launcher))
      problems.push(`${where}: the launcher ${launcher} does not exist`);
    const script = command.bundle;
    if (!script) {
      problems.push(`${where}: names no script`);
      continue;
    }
    referenced.add(resolve(script));
    if (!resolve(script).startsWith(dist)) problems.push(`${where}: ${script} is not in dist/`);
    else if (!existsSync(script)) problems.push(`${where}: ${script} does not exist (run \`npm run build\`)`);
  }
  const checks: Check[] = [
    problems.length > 0
      ? { name: "hooks wiring", status: "fail", detail: problems.join("; ") }
      : {
          name: "hooks wiring",
          status: "ok",
          detail: `${commands.length} handlers over ${new Set(commands.map((c) => c.event)).size} events, each a built dist/ entry run through ${LAUNCHER}`,
        },
  ];
  let unused: string[] = [];
  try {
    unused = readdirSync(join(pluginRoot, "dist", "hooks"))
      .filter(
        (name) =>
          name.endsWith(".js") &&
          // A hook's code, run by its entry (scripts/build.mjs).
          !name.endsWith(".bundle.js") &&
          !referenced.has(resolve(pluginRoot, "dist", "hooks", name)),
      )
      .sort();
  } catch {}
  if (unused.length > 0)
    checks.push({
      name: "hook entries",
      status: "warn",
      detail: `dist/hooks has entries hooks.json does not name: ${unused.join(", ")}`,
    });
  return checks;
}

/**
 * The first Claude Code that loads bg-notify's hooks module: modules came in 2.1.287, but one that hooks
 * `agent.report` fails to load before 2.1.329 ("is not an event"; the command hooks then hold).
 */
export const MIN_CLAUDE_CODE_MODULES = "2.1.329";

/**
 * Which delivery layer holds: in this session (the marker the module sets in Claude Code's process, seen
 * from a shell the session started), as the configuration asks, and in this project's recent sessions.
 */
export function layerCheck(pluginRoot: string, env: NodeJS.ProcessEnv, cwd: string, project?: string): Check {
  const name = "delivery layer";
  let modules: unknown;
  try {
    modules = readJsonFile(join(pluginRoot, "hooks", "hooks.json"))["modules"];
  } catch {
    modules = undefined;
  }
  const shipped = Array.isArray(modules) && modules.includes(HOOKS_MODULE);
  if (!shipped || !existsSync(join(pluginRoot, "hooks", HOOKS_MODULE)))
    return {
      name,
      status: "warn",
      detail: `hooks.json names no built hooks module (${HOOKS_MODULE}): the command hooks hold`,
    };
  const { config, warnings } = loadConfig({ env, cwd });
  const wanted = chooseLayer(config, warnings);
  const parts: string[] = [];
  if (env[LAYER_MARKER_ENV] === LAYER_MARKER_VALUE)
    parts.push("this session: the hooks module holds, in-process; the command hooks stand down");
  else if (env["CLAUDECODE"] === "1")
    parts.push(
      wanted.name === "hooks"
        ? `this session: the command hooks hold (${wanted.why})`
        : `this session: the command hooks hold: Claude Code did not load the hooks module (before ${MIN_CLAUDE_CODE_MODULES}, --bare, safe mode, dontAsk, an untrusted workspace, a managed policy, its rollout switch, or a host without modules; \`claude --debug-file F\` says which)`,
    );
  parts.push(
    wanted.name === "module"
      ? `config: "layer": "${config.layer}", the hooks module where Claude Code loads it`
      : `config: the command hooks (${wanted.why})`,
  );
  const recent = project !== undefined ? readModuleSessions(env, project)[0] : undefined;
  if (recent)
    parts.push(
      `last module session ${recent.sessionId.slice(0, 8)}: ${recent.layer.name === "module" ? "held by the module" : `command hooks (${recent.layer.why})`}`,
    );
  return { name, status: "ok", detail: parts.join("; ") };
}

/** Every place that states this release's version must say the same. */
export function versionCheck(pluginRoot: string): Check {
  const found: [string, unknown][] = [];
  try {
    found.push(["package.json", readJsonFile(join(pluginRoot, "package.json"))["version"]]);
    found.push([
      ".claude-plugin/plugin.json",
      readJsonFile(join(pluginRoot, ".claude-plugin", "plugin.json"))["version"],
    ]);
    const marketplace = join(pluginRoot, ".claude-plugin", "marketplace.json");
    if (existsSync(marketplace)) {
      const plugins = readJsonFile(marketplace)["plugins"];
      const entry = Array.isArray(plugins)
        ? (plugins as Record<string, unknown>[]).find((p) => p["name"] === "bg-notify")
        : undefined;
      found.push([".claude-plugin/marketplace.json", entry?.["version"]]);
    }
    const changelog = join(pluginRoot, "CHANGELOG.md");
    if (existsSync(changelog)) {
      const top = /^## \[(\d+\.\d+\.\d+[^\]]*)\]/m.exec(readFileSync(changelog, "utf8"))?.[1];
      found.push(["CHANGELOG.md", top]);
    }
  } catch (error) {
    return {
      name: "versions",
      status: "fail",
      detail: error instanceof Error ? error.message : String(error),
    };
  }
  const missing = found.filter(([, v]) => typeof v !== "string").map(([f]) => f);
  const versions = new Set(found.map(([, v]) => v).filter((v) => typeof v === "string"));
  if (versions.size > 1)
    return {
      name: "versions",
      status: "fail",
      detail: found.map(([f, v]) => `${f} says ${String(v)}`).join(", "),
    };
  if (missing.length > 0)
    return { name: "versions", status: "warn", detail: `no version in ${missing.join(", ")}` };
  return {
    name: "versions",
    status: "ok",
    detail: `${[...versions][0]} (${found.map(([f]) => f).join(", ")} agree)`,
  };
}

/** A JSON file's value, or undefined where it is missing, unreadable or not JSON. */
function readJsonOrNone(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

const SCRIPT_MAX_BYTES = 256 * 1024;

/** The script a hook's command names (its first absolute path to a file), read to guess what it skips. */
function scriptReader(vars: Record<string, string>): (command: string) => string | undefined {
  return (command) => {
    let expanded = command;
    for (const [name, value] of Object.entries(vars))
      expanded = expanded.replaceAll(`\${${name}}`, value).replaceAll(`$${name}`, value);
    for (const word of expanded.split(/\s+/)) {
      const path = word.replace(/^["']|["']$/g, "");
      if (!isAbsolute(path)) continue;
      try {
        const stat = statSync(path);
        if (stat.isFile() && stat.size <= SCRIPT_MAX_BYTES) return readFileSync(path, "utf8");
      } catch {}
    }
    return undefined;
  };
}

/**
 * The other UserPromptSubmit hooks in the person's and the project's settings and their enabled plugins:
 * held notices and wake-ups reach each as a prompt. Plugins loaded with `--plugin-dir` are not seen.
 */
export function promptHooksCheck(env: NodeJS.ProcessEnv, project: string): Check {
  const configDir = env["CLAUDE_CONFIG_DIR"] ?? join(env["HOME"] ?? homedir(), ".claude");
  const files = [
    join(configDir, "settings.json"),
    join(project, ".claude", "settings.json"),
    join(project, ".claude", "settings.local.json"),
  ];
  const settings = files.map((file) => ({ file, json: readJsonOrNone(file) }));
  const hooks: PromptHook[] = settings.flatMap(({ file, json }) =>
    promptHooksOf(json, file, scriptReader({ CLAUDE_PROJECT_DIR: project })),
  );
  const installed = installPaths(readJsonOrNone(join(configDir, "plugins", "installed_plugins.json")));
  for (const name of enabledPlugins(settings.map((s) => s.json))) {
    if (name.split("@")[0] === "bg-notify") continue;
    const root = installed.get(name)?.at(-1);
    if (root === undefined) continue;
    hooks.push(
      ...promptHooksOf(
        readJsonOrNone(join(root, "hooks", "hooks.json")),
        `plugin ${name}`,
        scriptReader({ CLAUDE_PLUGIN_ROOT: root, CLAUDE_PROJECT_DIR: project }),
      ),
    );
  }
  if (hooks.length === 0) return { name: "prompt hooks", status: "ok", detail: "none besides bg-notify's" };
  const seeing = hooks.filter((h) => !h.skipsNotices);
  const list = hooks
    .map(
      (h) =>
        `${h.source}: ${h.command} (${h.skipsNotices ? "skips task notifications" : "sees them as prompts"})`,
    )
    .join("; ");
  return seeing.length === 0
    ? { name: "prompt hooks", status: "ok", detail: list }
    : {
        name: "prompt hooks",
        status: "warn",
        detail: `${seeing.length} of ${hooks.length} UserPromptSubmit hook(s) do not look like they skip task notifications: each held notice and each wake-up reaches them as a prompt (one that blocks or rewrites it changes what bg-notify tells). ${list}`,
      };
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "check node, state directory, lock, config, hooks wiring and versions",
  help: HELP,
  options: { ...COMMON_OPTIONS, ...STATE_OPTIONS, "plugin-root": { type: "string" } },

  async run(parsed, { io, pluginRoot }) {
    const rootOption = stringOption(parsed, "plugin-root");
    const root = rootOption !== undefined ? resolve(io.cwd, rootOption) : pluginRoot();
    const location = stateLocation(parsed, io.env, io.cwd);
    const checks: Check[] = [
      ...nodeChecks(io.env, root),
      claudeVersionCheck(io.env),
      ...stateChecks(location.layout),
      configCheck(location.env, location.cwd),
      layerCheck(root, location.env, location.cwd, location.project),
      ...wiringChecks(root),
      versionCheck(root),
      promptHooksCheck(io.env, location.project ?? location.cwd),
    ];
    const ok = checks.every((c) => c.status !== "fail");
    if (parsed.values["json"] === true) {
      io.out(JSON.stringify({ ok, pluginRoot: root, stateDir: location.dir, checks }, null, 2));
    } else {
      const { style } = io;
      const mark = { ok: style.green("✓"), warn: style.yellow("!"), fail: style.red("✗") };
      io.out(
        [
          style.bold(`bg-notify doctor · plugin ${root}`),
          ...checks.map((c) => `${mark[c.status]} ${c.name.padEnd(16)} ${c.detail}`),
          ok
            ? style.green("all checks passed")
            : style.red(`${checks.filter((c) => c.status === "fail").length} check(s) failed`),
        ].join("\n"),
      );
    }
    return ok ? EXIT_OK : EXIT_FAILURE;
  },
};
