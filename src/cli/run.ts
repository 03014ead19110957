// The bg-notify command line: picks the subcommand, parses its arguments, runs it, and turns every failure
// into one line on stderr and a conventional exit code (0 ok, 1 failure, 2 usage).
import { describeError, isBgNotifyError } from "../core/errors.js";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommandArgs } from "./args.js";
import type { Command, CommandContext } from "./command.js";
import { doctorCommand } from "./commands/doctor.js";
import { eventsCommand } from "./commands/events.js";
import { flushCommand } from "./commands/flush.js";
import { modeCommand } from "./commands/mode.js";
import { replayCommand } from "./commands/replay.js";
import { setupCommand } from "./commands/setup.js";
import { statusCommand } from "./commands/status.js";
import { statuslineCommand } from "./commands/statusline.js";
import type { Io } from "./output.js";
import { findPluginRoot, packageVersion } from "./plugin-root.js";

export const COMMANDS: readonly Command[] = [
  replayCommand,
  statusCommand,
  eventsCommand,
  flushCommand,
  modeCommand,
  setupCommand,
  doctorCommand,
  statuslineCommand,
];

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: bg-notify <command> [options]",
    "",
    "bg-notify batches Claude Code's background-task completion notices into one notification per",
    "batch window. This CLI replays recorded hook inputs and inspects the plugin's state.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command takes --help and --json. Exit status: 0 ok, 1 failure, 2 bad arguments.",
    "Options: -h, --help  show this help;  -v, --version  print the version",
  ].join("\n");
}

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  let root: string | undefined;
  const context: CommandContext = {
    io,
    pluginRoot: () => {
      root ??= findPluginRoot();
      return root;
    },
  };
  if (name === undefined) {
    io.err(`${topHelp()}\n\nbg-notify: a command is required`);
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    const topic = COMMANDS.find((c) => c.name === rest[0]);
    io.out(topic ? topic.help : topHelp());
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  const label = command ? `bg-notify ${command.name}` : "bg-notify";
  try {
    if (name === "--version" || name === "-v") {
      io.out(packageVersion(context.pluginRoot()));
      return EXIT_OK;
    }
    if (!command) {
      const what = name.startsWith("-") ? `unknown option '${name}'` : `unknown command '${name}'`;
      throw new CliError(`${what}; commands: ${COMMANDS.map((c) => c.name).join(", ")}`, EXIT_USAGE);
    }
    if (wantsHelp(rest)) {
      io.out(command.help);
      return EXIT_OK;
    }
    const parsed = parseCommandArgs(rest, command.options, command.maxPositionals ?? 0);
    return await command.run(parsed, context);
  } catch (error) {
    io.progress.clear();
    if (error instanceof CliError) {
      const hint = error.exitCode === EXIT_USAGE ? ` (see ${label} --help)` : "";
      io.err(`${label}: ${error.message}${hint}`);
      return error.exitCode;
    }
    if (isBgNotifyError(error)) {
      io.err(`${label}: ${error.message}`);
      return EXIT_FAILURE;
    }
    io.err(`${label}: internal error: ${describeError(error)}`);
    return EXIT_FAILURE;
  }
}
