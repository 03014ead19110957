// How the CLI talks to a terminal: the process streams behind one small interface (so commands never
// touch `process` directly), colour only on a TTY without NO_COLOR, and the few text shapes commands share.

export interface Io {
  /** Writes to stdout; a missing final newline is added. */
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Colours for stdout / stderr text. */
  style: Style;
  errStyle: Style;
  /** A one-line progress indicator on stderr (drawn only on a TTY). */
  progress: Progress;
  /** Replaces the default Ctrl-C (exit at once) with `handler`, for commands that must clean up. */
  onInterrupt(handler: () => void): void;
}

export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off. */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env["NO_COLOR"] && env["TERM"] !== "dumb";
}

export function createStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled && text ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

export interface Progress {
  show(text: string): void;
  clear(): void;
}

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  let shown = false;
  return {
    show(text) {
      if (!enabled) return;
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(`\r\u001b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      stream.write("\r\u001b[K");
      shown = false;
    },
  };
}

export function createProcessIo(): Io {
  const env = process.env;
  const progress = createProgress(process.stderr, process.stderr.isTTY === true);
  const write = (stream: NodeJS.WriteStream) => (text: string) => {
    progress.clear();
    stream.write(text.endsWith("\n") ? text : `${text}\n`);
  };
  // `bg-notify events | head` closes the pipe early: that is a normal end, not a crash.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  return {
    out: write(process.stdout),
    err: write(process.stderr),
    env,
    cwd: process.cwd(),
    stdin: process.stdin,
    style: createStyle(colourWanted(process.stdout, env)),
    errStyle: createStyle(colourWanted(process.stderr, env)),
    progress,
    onInterrupt: (handler) => {
      process.once("SIGINT", handler);
    },
  };
}

export { formatDuration } from "../core/guards.js";

export function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `${prefix}${line}` : line))
    .join("\n");
}

export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
