// Stepping aside for a session (core/host.ts) from a command hook: recorded under the lock, and the line
// that tells the person why claimed by the first hook whose output is shown.
import { transcriptVersion } from "../claude/transcript.js";
import { claimAsideLine, needsHostVersion, noteHostVersion, stepAside } from "../core/host.js";
import type { BgState } from "../core/types.js";
import type { HookContext } from "./context.js";

/** Steps aside for the session; returns the line to say when this hook is the first to say it. */
export async function stepAsideFor(
  ctx: HookContext,
  sessionId: string,
  why: string,
): Promise<string | undefined> {
  const now = ctx.now();
  return ctx.store.transact((state) => {
    stepAside(state, sessionId, why, now);
    return claimAsideLine(state, sessionId, now);
  });
}

/**
 * The Claude Code a session runs on, learnt once from its transcript (a turn has written it by its Stop)
 * unless the state the hook read (`known`) has it: an older one than the minimum steps aside. Returns the
 * line to say, as `stepAsideFor`.
 */
export async function learnHost(
  ctx: HookContext,
  known: BgState,
  sessionId: string,
  transcriptPath: unknown,
): Promise<string | undefined> {
  if (!needsHostVersion(known, sessionId)) return undefined;
  const version = transcriptVersion(transcriptPath);
  if (version === undefined) return undefined;
  const now = ctx.now();
  return ctx.store.transact((state) => {
    noteHostVersion(state, sessionId, version, now);
    return claimAsideLine(state, sessionId, now);
  });
}
