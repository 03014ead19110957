import { type SessionRecord } from "../core/session-record.js";
import type { BgState } from "../core/types.js";
export interface ModuleSession extends SessionRecord {
    sessionId: string;
    /** The store file it was read from. */
    file: string;
}
/** Claude Code's configuration directory, as it finds it. */
export declare function claudeConfigDir(env: NodeJS.ProcessEnv): string;
/**
 * The module layer's sessions of `project` (all projects when undefined), newest first. A store file that
 * cannot be read or parsed is named in `warnings` and skipped.
 */
export declare function readModuleSessions(env: NodeJS.ProcessEnv, project: string | undefined, warnings?: string[]): ModuleSession[];
/** One state holding the file store's and the module sessions' tasks, batches, tallies and hosts, for a combined view. */
export declare function withModuleSessions(state: BgState, sessions: readonly ModuleSession[]): BgState;
