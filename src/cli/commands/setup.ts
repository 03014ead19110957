// `bg-notify setup`: the statusLine setting (shown first, written only with --apply), the node the hooks
// will run (recorded for the launcher), and whether this Claude Code is recent enough.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { MIN_CLAUDE_CODE } from "../../core/host.js";
import { CliError, COMMON_OPTIONS, EXIT_FAILURE, EXIT_OK, numberOption, stringOption } from "../args.js";
import type { Command } from "../command.js";
import { claudeVersionCheck } from "./doctor.js";

const HELP = `Usage: bg-notify setup [--apply] [options]

Shows, then with --apply makes, the change that puts bg-notify in Claude Code's status line: the
"statusLine" key of the user settings (~/.claude/settings.json; nothing else in the file changes). It
also records the node running this command for the hooks' launcher (with --data-dir, the plugin's
\${CLAUDE_PLUGIN_DATA}), for hooks that run with a PATH lacking it, and checks Claude Code's version
(${MIN_CLAUDE_CODE} or later).

Options:
  --apply              write the change (default: only show it)
  --settings FILE      the settings file (default: ~/.claude/settings.json)
  --refresh SECONDS    the status line's refreshInterval (default 5)
  --data-dir DIR       where the launcher keeps the node path (the plugin's \${CLAUDE_PLUGIN_DATA})
  --plugin-root DIR    the plugin copy whose bin/bg-notify the status line runs (default: this one)
  --json               print one JSON object
  -h, --help           show this help

Exit status: 0 shown or written; 1 the settings file cannot be read or written; 2 bad arguments.`;

function readSettings(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CliError(
      `${path} is not valid JSON (${(error as Error).message}); fix it first, nothing was changed`,
    );
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new CliError(`${path} does not hold one JSON object; nothing was changed`);
  return parsed as Record<string, unknown>;
}

export const setupCommand: Command = {
  name: "setup",
  summary: "show (and with --apply write) the statusLine setting; record node for the hooks",
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    apply: { type: "boolean" },
    settings: { type: "string" },
    refresh: { type: "string" },
    "data-dir": { type: "string" },
    "plugin-root": { type: "string" },
  },

  async run(parsed, { io, pluginRoot }) {
    const home = io.env["HOME"] || homedir();
    const settingsPath = resolve(
      io.cwd,
      stringOption(parsed, "settings") ?? join(home, ".claude", "settings.json"),
    );
    const refresh =
      numberOption(
        parsed,
        "refresh",
        (n) => Number.isInteger(n) && n >= 1 && n <= 3600,
        "a whole number of seconds",
      ) ?? 5;
    const root = resolve(io.cwd, stringOption(parsed, "plugin-root") ?? pluginRoot());
    const dataDir = stringOption(parsed, "data-dir");
    const apply = parsed.values["apply"] === true;

    const settings = readSettings(settingsPath);
    const statusLine = {
      type: "command",
      command: `sh ${JSON.stringify(join(root, "bin", "bg-notify"))} statusline`,
      refreshInterval: refresh,
    };
    const before = settings["statusLine"];
    const unchanged = JSON.stringify(before) === JSON.stringify(statusLine);
    const claude = claudeVersionCheck(io.env);
    if (apply && !unchanged) {
      try {
        mkdirSync(dirname(settingsPath), { recursive: true });
        const tmp = `${settingsPath}.bg-notify-${process.pid}.tmp`;
        writeFileSync(tmp, `${JSON.stringify({ ...settings, statusLine }, null, 2)}\n`);
        renameSync(tmp, settingsPath);
      } catch (error) {
        io.err(`bg-notify setup: cannot write ${settingsPath}: ${(error as Error).message}`);
        return EXIT_FAILURE;
      }
    }
    let nodeRecorded: string | undefined;
    if (apply && dataDir !== undefined) {
      const dir = resolve(io.cwd, dataDir);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "node-path"), `${process.execPath}\n`);
      nodeRecorded = join(dir, "node-path");
    }
    if (parsed.values["json"] === true) {
      io.out(
        JSON.stringify(
          {
            settings: settingsPath,
            before: before ?? null,
            after: statusLine,
            applied: apply && !unchanged,
            unchanged,
            nodeRecorded: nodeRecorded ?? null,
            node: process.execPath,
            claude,
          },
          null,
          2,
        ),
      );
      return EXIT_OK;
    }
    const lines = [
      `${settingsPath}, key "statusLine":`,
      `  now:   ${before === undefined ? "(not set)" : JSON.stringify(before)}`,
      `  after: ${JSON.stringify(statusLine)}`,
      unchanged
        ? "Already set: nothing to change."
        : apply
          ? "Written."
          : "Not written: run again with --apply to make this change.",
      `node for the hooks: ${process.execPath} (${process.version})${nodeRecorded ? `, recorded in ${nodeRecorded}` : ""}`,
      `Claude Code: ${claude.detail}`,
    ];
    io.out(lines.join("\n"));
    return EXIT_OK;
  },
};
