// `bg-notify mode`: shows or sets this project's mode in .claude/bg-notify.json (other keys kept).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { CONFIG_FILE_NAME } from "../../core/config.js";
import { isBgNotifyError } from "../../core/errors.js";
import { loadConfig, writeConfigMode } from "../../store/config-file.js";
import { projectDir } from "../../store/paths.js";
import { CliError, COMMON_OPTIONS, EXIT_OK, stringOption, usageError } from "../args.js";
import type { Command } from "../command.js";

const MODES = ["coalesce", "summarize", "off"] as const;

const HELP = `Usage: bg-notify mode [coalesce|summarize|off] [options]

Without an argument, prints the mode in force for this project (and where it comes from). With one,
writes it to <project>/.claude/${CONFIG_FILE_NAME} (other keys are kept). BG_NOTIFY_MODE, when set,
still wins over the file.

  coalesce   hold completions back and wake the parent once per batch (default)
  summarize  let every notice through, and add one combined summary
  off        do nothing at all: every event passes as without the plugin

Options:
  --project-dir DIR  the project (default: CLAUDE_PROJECT_DIR or the current directory)
  --json             print one JSON object
  -h, --help         show this help

Exit status: 0; 1 the file cannot be read or written; 2 bad arguments.`;

export const modeCommand: Command = {
  name: "mode",
  summary: "show or set this project's mode (coalesce, summarize, off)",
  help: HELP,
  options: { ...COMMON_OPTIONS, "project-dir": { type: "string" } },
  maxPositionals: 1,

  async run(parsed, { io }) {
    const wanted = parsed.positionals[0];
    if (wanted !== undefined && !(MODES as readonly string[]).includes(wanted))
      throw usageError(`mode must be one of ${MODES.join(", ")}, not '${wanted}'`);
    const option = stringOption(parsed, "project-dir");
    const env: NodeJS.ProcessEnv = {
      ...io.env,
      ...(option !== undefined ? { CLAUDE_PROJECT_DIR: resolve(io.cwd, option) } : {}),
    };
    const project = projectDir({ env, cwd: io.cwd });
    const file = join(project, ".claude", CONFIG_FILE_NAME);
    if (wanted !== undefined) {
      try {
        writeConfigMode({ env, cwd: io.cwd }, wanted as (typeof MODES)[number]);
      } catch (error) {
        if (isBgNotifyError(error)) throw new CliError(error.message);
        throw error;
      }
    }
    const { config, warnings } = loadConfig({ env, cwd: io.cwd });
    const source = env["BG_NOTIFY_MODE"] ? "BG_NOTIFY_MODE" : existsSync(file) ? file : "default";
    if (parsed.values["json"] === true) {
      io.out(JSON.stringify({ mode: config.mode, source, file, warnings }, null, 2));
      return EXIT_OK;
    }
    io.out(`mode: ${config.mode} (from ${source})${wanted !== undefined ? `; wrote ${file}` : ""}`);
    for (const w of warnings) io.err(w);
    return EXIT_OK;
  },
};
