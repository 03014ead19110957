import type { BgState } from "../core/types.js";
/** How queued inputs are read and applied: the plugin's (plugin/inbox-fold.ts), given to the store. */
export interface InboxFold<Entry = unknown> {
    /** The entry a file's text holds, or undefined for one that is not (yet) an input hooks/run queues. */
    parse(text: string): Entry | undefined;
    /** Applies one entry as of `at`; idempotent, as an entry may be folded again until a commit takes it. */
    apply(state: BgState, entry: Entry, at: number): void;
}
export interface QueuedInputs {
    /** Entry names, oldest first, for `removeQueued` once what they say is committed. */
    names: string[];
    /** Folds them into `state`, oldest first (idempotent: a launch already known only adds what it knows). */
    fold(state: BgState): void;
}
/**
 * What the inbox holds now. A missing folder holds nothing; an entry that vanished was taken already.
 * Without a fold (the library's own stores) the inbox is left to the next hook.
 */
export declare function readQueued(dir: string, warnings: string[], now: number, inbox: InboxFold | undefined): QueuedInputs;
/**
 * After the commit that folded them in, inside the lock (an entry left there is folded again, harmlessly,
 * until the next commit takes it): moved to folded/, which no read looks at, for `removeFolded`.
 */
export declare function removeQueued(dir: string, names: readonly string[], warnings: string[]): void;
/** Removes the entries `removeQueued` moved aside: from hooks off the user's path (see the hook table). */
export declare function removeFolded(dir: string, warnings: string[]): void;
