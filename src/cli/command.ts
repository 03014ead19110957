// The shape every subcommand has: its name, help text, options, and a `run` that returns the exit code.
import type { OptionSpec, Parsed } from "./args.js";
import type { Io } from "./output.js";

export interface CommandContext {
  io: Io;
  /** The plugin directory (hooks/hooks.json, dist/) this CLI ships in; looked up on first use. */
  pluginRoot(): string;
}

export interface Command {
  name: string;
  /** One line for `bg-notify --help`. */
  summary: string;
  /** The full `bg-notify <name> --help` text. */
  help: string;
  options: OptionSpec;
  maxPositionals?: number;
  run(parsed: Parsed, context: CommandContext): Promise<number>;
}
