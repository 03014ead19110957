// Argument parsing for every command (node:util parseArgs, strict), the CLI's error type with its exit
// code (2 usage, 1 failure), and where a command finds the state directory.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { resolveStateLayout, type StateLayout } from "../store/paths.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A problem to report in one line; `exitCode` 2 means the command line itself was wrong. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_FAILURE | typeof EXIT_USAGE = EXIT_FAILURE,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const satisfies OptionSpec;

export const STATE_OPTIONS = {
  "state-dir": { type: "string" },
  "project-dir": { type: "string" },
} as const satisfies OptionSpec;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseCommandArgs(argv: readonly string[], options: OptionSpec, maxPositionals = 0): Parsed {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs explains itself in a sentence or two; the first is the one-line error.
    const message = error instanceof Error ? error.message.split(". ")[0]! : String(error);
    throw usageError(message);
  }
  if (parsed.values["help"] !== true && parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals]!;
    throw usageError(`unexpected argument '${extra}'`);
  }
  return parsed as Parsed;
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  if (value === "") throw usageError(`--${name} needs a value`);
  return typeof value === "string" ? value : undefined;
}

export function numberOption(parsed: Parsed, name: string, check: (n: number) => boolean, expected: string) {
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || !check(n))
    throw usageError(`--${name} must be ${expected}, not '${text}'`);
  return n;
}

export interface StateLocation {
  dir: string;
  /** The state directory with the project directories above it that the store checks. */
  layout: StateLayout;
  /** The project whose `.claude/bg-notify.json` applies. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Named on the command line or by BG_NOTIFY_STATE_DIR rather than found from the project. */
  explicit: boolean;
  /** The project directory, unless a state directory was named: its hooks-module sessions count too. */
  project?: string;
}

/** --state-dir, else BG_NOTIFY_STATE_DIR, else <--project-dir | CLAUDE_PROJECT_DIR | cwd>/.claude/bg-notify. */
export function stateLocation(parsed: Parsed, env: NodeJS.ProcessEnv, cwd: string): StateLocation {
  const projectDir = stringOption(parsed, "project-dir");
  const stateDir = stringOption(parsed, "state-dir");
  if (projectDir !== undefined && !existsSync(projectDir))
    throw new CliError(`project directory ${projectDir} does not exist`);
  const projectEnv = { ...env };
  if (projectDir !== undefined) {
    // The command line beats the environment: --project-dir means that project's own state.
    projectEnv["CLAUDE_PROJECT_DIR"] = resolve(cwd, projectDir);
    delete projectEnv["BG_NOTIFY_STATE_DIR"];
  }
  const layout: StateLayout =
    stateDir !== undefined ? { dir: resolve(cwd, stateDir) } : resolveStateLayout({ env: projectEnv, cwd });
  const dir = layout.dir;
  if (stateDir !== undefined && !existsSync(dir)) throw new CliError(`state directory ${dir} does not exist`);
  const explicit = layout.parent === undefined;
  return {
    dir,
    layout,
    ...(stateDir === undefined ? { project: resolve(cwd, projectEnv["CLAUDE_PROJECT_DIR"] || cwd) } : {}),
    // A directory found from the project stays one the store checks; a named one is trusted as given.
    env: explicit ? { ...projectEnv, BG_NOTIFY_STATE_DIR: dir } : projectEnv,
    cwd,
    explicit,
  };
}
