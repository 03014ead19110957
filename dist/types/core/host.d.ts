import type { BgState } from "./types.js";
/**
 * The oldest Claude Code the whole e2e suite passes on, both layers (docs/RELIABILITY.md, "Which Claude
 * Code"): the first whose hooks module API has `agent.report`. Older ones get no holding at all.
 */
export declare const MIN_CLAUDE_CODE = "2.1.329";
/** Hosts remembered: one per session, the newest; a session's entry is refreshed by every decision. */
export declare const HOSTS_KEEP = 50;
/** `[major, minor, patch]` of the first x.y.z in `text`. */
export declare function versionParts(text: string): [number, number, number] | undefined;
/** Whether `version` (x.y.z, or text that holds one) is `min` or later; false for no version at all. */
export declare function isAtLeast(version: string, min?: string): boolean;
/** Why bg-notify stepped aside for this session, or undefined while it holds. */
export declare function asideOf(state: BgState, sessionId: string): string | undefined;
/** From now on bg-notify holds nothing in this session (the first reason is kept). */
export declare function stepAside(state: BgState, sessionId: string, why: string, now: number): void;
/** The Claude Code version a session runs on, once learnt; one older than the minimum makes bg-notify step aside. */
export declare function noteHostVersion(state: BgState, sessionId: string, version: string, now: number): void;
/** Whether the session's version is still to be learnt (then the caller reads it where it can). */
export declare function needsHostVersion(state: BgState, sessionId: string): boolean;
/** Why bg-notify steps aside for a notice it does not know (`taskId` empty: it carried none it can read). */
export declare function unknownNoticeWhy(taskId: string): string;
/** The line that tells the person why, the first time it is asked for in the session; then never again. */
export declare function claimAsideLine(state: BgState, sessionId: string, now: number): string | undefined;
export declare function asideLine(why: string): string;
export declare function pruneHosts(state: BgState, now: number): void;
