// The Claude Code a parent session runs on, as bg-notify learns it, and whether bg-notify steps aside for
// the session: holds nothing more, because that Claude Code is older than the tested minimum or something
// it sent does not look like what bg-notify knows. What was held before is still told; the person is told
// why once.
import { newestRecords } from "./guards.js";
import type { BgState, SessionHost } from "./types.js";

/**
 * The oldest Claude Code the whole e2e suite passes on, both layers (docs/RELIABILITY.md, "Which Claude
 * Code"): the first whose hooks module API has `agent.report`. Older ones get no holding at all.
 */
export const MIN_CLAUDE_CODE = "2.1.329";

/** Hosts remembered: one per session, the newest; a session's entry is refreshed by every decision. */
export const HOSTS_KEEP = 50;
const HOSTS_TTL_MS = 7 * 24 * 3600 * 1000;

/** `[major, minor, patch]` of the first x.y.z in `text`. */
export function versionParts(text: string): [number, number, number] | undefined {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether `version` (x.y.z, or text that holds one) is `min` or later; false for no version at all. */
export function isAtLeast(version: string, min: string = MIN_CLAUDE_CODE): boolean {
  const v = versionParts(version);
  const m = versionParts(min);
  if (!v || !m) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== m[i]) return (v[i] as number) > (m[i] as number);
  return true;
}

/** Why bg-notify stepped aside for this session, or undefined while it holds. */
export function asideOf(state: BgState, sessionId: string): string | undefined {
  return state.hosts?.[sessionId]?.aside;
}

function hostOf(state: BgState, sessionId: string, now: number): SessionHost {
  state.hosts ??= {};
  const host = state.hosts[sessionId] ?? { at: now };
  host.at = now;
  state.hosts[sessionId] = host;
  return host;
}

/** From now on bg-notify holds nothing in this session (the first reason is kept). */
export function stepAside(state: BgState, sessionId: string, why: string, now: number): void {
  const host = hostOf(state, sessionId, now);
  host.aside ??= why;
}

/** The Claude Code version a session runs on, once learnt; one older than the minimum makes bg-notify step aside. */
export function noteHostVersion(state: BgState, sessionId: string, version: string, now: number): void {
  if (versionParts(version) === undefined || state.hosts?.[sessionId]?.version === version) return;
  const host = hostOf(state, sessionId, now);
  host.version = version;
  if (!isAtLeast(version))
    host.aside ??= `Claude Code ${version} is older than ${MIN_CLAUDE_CODE}, the oldest it is tested on`;
}

/** Whether the session's version is still to be learnt (then the caller reads it where it can). */
export function needsHostVersion(state: BgState, sessionId: string): boolean {
  return state.hosts?.[sessionId]?.version === undefined;
}

/** Why bg-notify steps aside for a notice it does not know (`taskId` empty: it carried none it can read). */
export function unknownNoticeWhy(taskId: string): string {
  return taskId === ""
    ? "a task notice came without a <task-id> bg-notify can read (a form it does not know)"
    : `task ${taskId}'s notice is of a form or kind bg-notify does not know`;
}

/** The line that tells the person why, the first time it is asked for in the session; then never again. */
export function claimAsideLine(state: BgState, sessionId: string, now: number): string | undefined {
  const host = state.hosts?.[sessionId];
  if (host?.aside === undefined || host.said !== undefined) return undefined;
  host.said = now;
  return asideLine(host.aside);
}

export function asideLine(why: string): string {
  return `bg-notify steps aside for this session: ${why}. Every background notice now arrives as Claude Code sends it; nothing held is lost.`;
}

export function pruneHosts(state: BgState, now: number): void {
  if (!state.hosts) return;
  const kept = newestRecords(state.hosts, now, HOSTS_TTL_MS, HOSTS_KEEP);
  if (kept === undefined) delete state.hosts;
  else state.hosts = kept;
}
