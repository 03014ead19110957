import { type Dirent, type Stats } from "node:fs";
import { BgNotifyError } from "../core/errors.js";
export declare function unsafe(path: string, found: string): BgNotifyError;
/** What an `unsafe` error found at its path ("a symbolic link to …"), for a reader that names the fix. */
export declare function foundAt(error: BgNotifyError): string;
/** Checks a directory bg-notify uses; false when it does not exist (yet). */
export declare function checkDirectory(path: string): boolean;
/** Makes a directory (only its last component; its parent is checked already), or checks the one there. */
export declare function ensureDirectory(path: string, mode?: number): void;
/** The entries of a checked directory: any link among them, or another user's entry, is refused. */
export declare function listDirectory(path: string): Dirent[];
interface OpenOptions {
    /** A file also reachable under another name (a hard link) is refused: appending would write there too. */
    soleName?: boolean;
}
/**
 * Opens a regular file of ours without following a link; undefined when it does not exist (and `flags`
 * does not create it). The caller closes the descriptor.
 */
export declare function openOwnFile(path: string, flags: number, mode?: number, options?: OpenOptions): {
    fd: number;
    st: Stats;
} | undefined;
export interface FileRead {
    text: string;
    /** The file holds more than was read. */
    truncated: boolean;
    mtimeMs: number;
}
/** A regular file of ours, up to `maxBytes`; undefined when it does not exist. */
export declare function readOwnFile(path: string, maxBytes: number): FileRead | undefined;
/** Appends to a regular file of ours with one name, creating it if need be; says where the file then ends. */
export declare function appendOwnFile(path: string, text: string): {
    ino: number;
    size: number;
};
/** Creates a new file (never one that exists, nor through a link); throws EEXIST if the name is taken. */
export declare function createOwnFile(path: string, text: string, mode?: number): void;
/** Copies a regular file of ours into a new file, both without following links. */
export declare function copyOwnFile(from: string, to: string): void;
/** What `lstat` says of an entry: a regular file of ours, or undefined when it is gone. Anything else throws. */
export declare function ownFileEntry(path: string): Stats | undefined;
export {};
