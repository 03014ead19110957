// Files and directories under the state directory, touched without following links: a repository (or
// another local user) may have planted any of them. What is not as bg-notify makes it throws EUNSAFE,
// and the caller then passes every notice natively (docs/RELIABILITY.md, "Threat model").
import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
  writeSync,
} from "node:fs";
import { BgNotifyError } from "../core/errors.js";

// Windows has neither: there the lstat checks below still refuse links.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO planted as a state file must not block the open; fstat then refuses it.
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
const gid = typeof process.getgid === "function" ? process.getgid() : undefined;

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function linkTarget(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "somewhere";
  }
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return "a symbolic link";
  if (st.isDirectory()) return "a directory";
  if (st.isFile()) return "a file";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  return "a device";
}

const NOT_MADE =
  ", which bg-notify did not make: it passes every notice natively in this project (bg-notify doctor names the fix)";

export function unsafe(path: string, found: string): BgNotifyError {
  return new BgNotifyError("EUNSAFE", `${path} is ${found}${NOT_MADE}`, { path });
}

/** What an `unsafe` error found at its path ("a symbolic link to …"), for a reader that names the fix. */
export function foundAt(error: BgNotifyError): string {
  const prefix = `${error.path ?? ""} is `;
  const end = error.message.indexOf(NOT_MADE);
  return error.message.startsWith(prefix) && end > 0
    ? error.message.slice(prefix.length, end)
    : "not what bg-notify made";
}

/** Why `st` is not a directory bg-notify may use, or undefined. */
function directoryProblem(path: string, st: Stats): string | undefined {
  if (st.isSymbolicLink()) return `a symbolic link to ${linkTarget(path)}`;
  if (!st.isDirectory()) return `${kindOf(st)}, not a directory`;
  if (uid !== undefined && st.uid !== uid) return `a directory owned by uid ${st.uid}`;
  // Another user who can write here could swap an entry for a link between a check and its use. The
  // user's own group (user private groups, umask 002) is the user.
  const othersWrite = (st.mode & 0o002) !== 0 && (st.mode & 0o1000) === 0;
  const groupWrite = (st.mode & 0o020) !== 0 && gid !== undefined && st.gid !== gid;
  if (othersWrite || groupWrite)
    return `a directory other users can write (mode ${(st.mode & 0o7777).toString(8)})`;
  return undefined;
}

/** Checks a directory bg-notify uses; false when it does not exist (yet). */
export function checkDirectory(path: string): boolean {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return false;
    throw new BgNotifyError("ESTATE", `cannot look at ${path}: ${String(errnoOf(error) ?? error)}`, { path });
  }
  const problem = directoryProblem(path, st);
  if (problem) throw unsafe(path, problem);
  return true;
}

/** Makes a directory (only its last component; its parent is checked already), or checks the one there. */
export function ensureDirectory(path: string, mode = 0o700): void {
  if (checkDirectory(path)) return;
  try {
    mkdirSync(path, mode);
  } catch (error) {
    if (errnoOf(error) !== "EEXIST") throw error;
  }
  checkDirectory(path);
}

/** The entries of a checked directory: any link among them, or another user's entry, is refused. */
export function listDirectory(path: string): Dirent[] {
  let entries: Dirent[];
  for (let attempt = 0; ; attempt++) {
    try {
      entries = readdirSync(path, { withFileTypes: true });
      break;
    } catch (error) {
      // Where the file system gives no entry types, node looks each entry up: one removed meanwhile
      // (a temp file renamed into place) fails the listing; the next one sees it gone.
      if (errnoOf(error) !== "ENOENT" || attempt >= 3 || !checkDirectory(path)) throw error;
    }
  }
  for (const entry of entries)
    if (entry.isSymbolicLink())
      throw unsafe(`${path}/${entry.name}`, `a symbolic link to ${linkTarget(`${path}/${entry.name}`)}`);
  return entries;
}

/** Why `st` is not a file bg-notify may use, or undefined. */
function fileProblem(path: string, st: Stats, options: OpenOptions = {}): string | undefined {
  if (st.isSymbolicLink()) return `a symbolic link to ${linkTarget(path)}`;
  if (!st.isFile()) return `${kindOf(st)}, not a file`;
  if (uid !== undefined && st.uid !== uid) return `a file owned by uid ${st.uid}`;
  if (options.soleName && st.nlink > 1) return `a file with ${st.nlink} names (a hard link)`;
  return undefined;
}

interface OpenOptions {
  /** A file also reachable under another name (a hard link) is refused: appending would write there too. */
  soleName?: boolean;
}

/**
 * Opens a regular file of ours without following a link; undefined when it does not exist (and `flags`
 * does not create it). The caller closes the descriptor.
 */
export function openOwnFile(
  path: string,
  flags: number,
  mode = 0o600,
  options: OpenOptions = {},
): { fd: number; st: Stats } | undefined {
  let fd: number;
  try {
    fd = openSync(path, flags | NOFOLLOW | NONBLOCK, mode);
  } catch (error) {
    const code = errnoOf(error);
    if (code === "ENOENT" && (flags & constants.O_CREAT) === 0) return undefined;
    if (code === "ELOOP" || code === "EMLINK") throw unsafe(path, `a symbolic link to ${linkTarget(path)}`);
    throw error;
  }
  try {
    const st = fstatSync(fd);
    const problem = fileProblem(path, st, options);
    if (problem) throw unsafe(path, problem);
    return { fd, st };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

export interface FileRead {
  text: string;
  /** The file holds more than was read. */
  truncated: boolean;
  mtimeMs: number;
}

/** A regular file of ours, up to `maxBytes`; undefined when it does not exist. */
export function readOwnFile(path: string, maxBytes: number): FileRead | undefined {
  const opened = openOwnFile(path, constants.O_RDONLY);
  if (!opened) return undefined;
  const { fd, st } = opened;
  try {
    // One read of the size fstat gave is the usual case; a file that grows meanwhile is read on.
    let buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        if (got > maxBytes) break;
        const more = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(more, 0, 0, got);
        buf = more;
      }
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    return {
      text: buf.toString("utf8", 0, Math.min(got, maxBytes)),
      truncated: got > maxBytes,
      mtimeMs: st.mtimeMs,
    };
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, data: Buffer): void {
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written);
}

/** Appends to a regular file of ours with one name, creating it if need be; says where the file then ends. */
export function appendOwnFile(path: string, text: string): { ino: number; size: number } {
  const opened = openOwnFile(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600, {
    soleName: true,
  }) as { fd: number; st: Stats };
  try {
    const data = Buffer.from(text);
    writeAll(opened.fd, data);
    return { ino: opened.st.ino, size: fstatSync(opened.fd).size };
  } finally {
    closeSync(opened.fd);
  }
}

/** A new file: never one that exists, nor through a link (EEXIST if the name is taken). */
function openNew(path: string, mode: number): number {
  return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
}

/** Creates a new file (never one that exists, nor through a link); throws EEXIST if the name is taken. */
export function createOwnFile(path: string, text: string, mode = 0o600): void {
  const fd = openNew(path, mode);
  try {
    if (text) writeAll(fd, Buffer.from(text));
  } finally {
    closeSync(fd);
  }
}

/** Copies a regular file of ours into a new file, both without following links. */
export function copyOwnFile(from: string, to: string): void {
  const source = openOwnFile(from, constants.O_RDONLY);
  if (!source) throw Object.assign(new Error(`ENOENT: ${from} vanished`), { code: "ENOENT" });
  try {
    const fd = openNew(to, 0o600);
    try {
      const buf = Buffer.allocUnsafe(64 * 1024);
      for (;;) {
        const n = readSync(source.fd, buf, 0, buf.length, null);
        if (n === 0) break;
        writeAll(fd, buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
  } finally {
    closeSync(source.fd);
  }
}

/** What `lstat` says of an entry: a regular file of ours, or undefined when it is gone. Anything else throws. */
export function ownFileEntry(path: string): Stats | undefined {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return undefined;
    throw error;
  }
  const problem = fileProblem(path, st);
  if (problem) throw unsafe(path, problem);
  return st;
}
