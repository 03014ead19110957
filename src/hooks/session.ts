// Stop: reconcile Claude Code's `background_tasks` with ours, and hand over a due batch before the turn
// ends. SessionStart: deliver what is still owed to the session and prune. SessionEnd: keep everything
// owed for a resume, and never wait on the lock (all SessionEnd hooks share 1.5 s).

import type { HookContext, HookResult } from "../hook-context.js";
import type { HookInput } from "../hook-input.js";
import { pruneState } from "../state.js";
import { reconcileBackgroundTasks } from "../task-tracking.js";
import { contextOutput, deliverOwed, joinDeliveries } from "./delivery.js";

export async function handleStop(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const sessionId = input.session_id;
  if (input.background_tasks) {
    const listed = input.background_tasks;
    const snapshot = await ctx.store.read();
    const needsWrite =
      listed.some((t) => !snapshot.tasks[`${sessionId}/${t.id}`]) ||
      Object.values(snapshot.tasks).some(
        (t) =>
          t.parentSessionId === sessionId &&
          t.background === true &&
          (t.status === "running" || t.status === "pending") &&
          (!listed.some((l) => l.id === t.id) || t.vanishedAt !== undefined),
      );
    if (needsWrite) {
      await ctx.store.transact((state) =>
        reconcileBackgroundTasks(
          state,
          sessionId,
          listed,
          ctx.now(),
          ctx.config.reconcileGraceMs,
          ctx.limits,
        ),
      );
    }
  }
  // Only coalesce holds notices back. Context at Stop makes Claude Code run one more request, so it is
  // given only for a due batch (the rewake would spend that request anyway) and never in a Stop that
  // a hook already extended (stop_hook_active).
  if (ctx.config.mode !== "coalesce" || input.stop_hook_active) return {};
  const deliveries = await deliverOwed(ctx, sessionId, { force: false, via: "stop" });
  return deliveries.length > 0 ? contextOutput("Stop", joinDeliveries(deliveries)) : {};
}

export async function handleSessionStart(input: HookInput, ctx: HookContext): Promise<HookResult> {
  if (ctx.config.mode === "off") return {};
  const deliveries = await deliverOwed(ctx, input.session_id, {
    force: true,
    via: `session-${input.source ?? "start"}`,
  });
  if (input.source === "startup" || deliveries.length > 0) {
    const now = ctx.now();
    await ctx.store.transact((state) => pruneState(state, now, ctx.config)).catch(() => undefined);
  }
  return deliveries.length > 0 ? contextOutput("SessionStart", joinDeliveries(deliveries)) : {};
}

export async function handleSessionEnd(input: HookInput, ctx: HookContext): Promise<HookResult> {
  ctx.notifications.getEventBus().emitToEventSystem({
    type: "session_end",
    source: "SessionEnd",
    payload: { sessionId: input.session_id, reason: input.reason ?? null },
  });
  return {};
}
