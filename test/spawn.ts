// The one spawn-and-collect helper: a node (or any) child process with stdin given (or held back by a gate),
// stdout/stderr collected, and its end as a promise. Crash, concurrency and CLI tests all start
// processes through it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

export interface NodeRun {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Date.now() when the process closed. */
  endedAt: number;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin, which is then closed (unless keepStdinOpen). */
  input?: string | Buffer;
  /** Stdin is written only once this resolves: the child has started and loaded by then. */
  gate?: Promise<void>;
  keepStdinOpen?: boolean;
  /** Killed with SIGKILL after this long. */
  timeoutMs?: number;
}

export interface StartedNode {
  child: ChildProcess;
  pid: number;
  startedAt: number;
  done: Promise<NodeRun>;
}

export function startNode(args: readonly string[], options: StartOptions = {}): StartedNode {
  return startProcess(process.execPath, args, options);
}

/** Any program (the hook launcher is `sh`); node itself is `startNode`. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: StartOptions = {},
): StartedNode {
  const startedAt = performance.now();
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  // A caller may set an encoding on a stream to read it as it comes: chunks are then strings.
  const take = (into: Buffer[]) => (d: Buffer | string) =>
    into.push(typeof d === "string" ? Buffer.from(d) : d);
  child.stdout?.on("data", take(out));
  child.stderr?.on("data", take(err));
  // A child killed before it read stdin closes the pipe under us: that is expected here.
  child.stdin?.on("error", () => {});
  const feed = () => {
    if (options.input !== undefined) child.stdin?.write(options.input);
    if (!options.keepStdinOpen) child.stdin?.end();
  };
  if (options.gate) options.gate.then(feed, feed);
  else feed();
  const timer =
    options.timeoutMs !== undefined ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
  const done = new Promise<NodeRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (options.keepStdinOpen) child.stdin?.destroy();
      resolve({
        pid: child.pid ?? -1,
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        durationMs: performance.now() - startedAt,
        endedAt: Date.now(),
      });
    });
  });
  return { child, pid: child.pid ?? -1, startedAt, done };
}

export function runNode(args: readonly string[], options: StartOptions = {}): Promise<NodeRun> {
  return startNode(args, options).done;
}

/**
 * The arguments of `unshare` for a private mount namespace in which every node binary of this machine is
 * hidden (bind-mounted over by /dev/null), then the command given after them; undefined where that is not
 * possible (it needs root or user namespaces). Used to prove what happens where hooks find no node.
 */
export function hideNodeArgs(): string[] | undefined {
  const found = new Set<string>();
  for (const dir of ["/usr/bin", "/usr/local/bin", "/bin", "/opt/homebrew/bin", dirname(process.execPath)]) {
    const candidate = join(dir, "node");
    if (existsSync(candidate)) found.add(realpathSync(candidate));
  }
  const mounts = [...found].map((p) => `mount --bind /dev/null '${p}'`).join(" && ");
  const probe = spawnSync("unshare", ["-m", "sh", "-c", `${mounts} && ! command -v node >/dev/null`]);
  if (probe.status !== 0) return undefined;
  return ["-m", "sh", "-c", `${mounts} && exec "$@"`, "sh"];
}
