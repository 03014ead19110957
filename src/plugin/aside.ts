// Stepping aside for a session (core/host.ts) from a command hook: recorded under the lock, and the line
// that tells the person why claimed by the first hook whose output is shown.
import { claimAsideLine, stepAside } from "../core/host.js";
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
