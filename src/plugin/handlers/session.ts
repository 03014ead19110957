// Stop: reconcile Claude Code's list of background tasks with ours, and hand over a due batch before the turn
// ends. SessionStart: deliver what is still owed to the session and prune. SessionEnd: keep everything
// owed for a resume, and never wait on the lock (all SessionEnd hooks share 1.5 s).

import type { HookInput } from "../../claude/hook-input.js";
import {
  listedBackgroundTasks,
  needsReconcile,
  reconcileBackgroundTasks,
} from "../../claude/task-tracking.js";
import { pruneState } from "../../core/state.js";
import type { HookContext, HookResult } from "../context.js";
import { deliveriesOutput, deliverOwed } from "../delivery.js";

export async function handleStop(input: HookInput, ctx: HookContext): Promise<HookResult> {
  const sessionId = input.session_id;
  const listed = listedBackgroundTasks(input);
  if (listed) {
    if (needsReconcile(await ctx.store.read(), sessionId, listed)) {
      await ctx.store.transact((state) =>
        reconcileBackgroundTasks(state, sessionId, listed, ctx.now(), ctx.config.reconcileGraceMs),
      );
    }
  }
  // Only coalesce holds notices back. Context at Stop makes Claude Code run one more request, so it is
  // given only for a due batch (the rewake would spend that request anyway) and never in a Stop that
  // a hook already extended (stop_hook_active).
  if (ctx.config.mode !== "coalesce" || input.stop_hook_active) return {};
  const deliveries = await deliverOwed(ctx, sessionId, { force: false, via: "stop" });
  return deliveriesOutput("Stop", deliveries);
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
  return deliveriesOutput("SessionStart", deliveries);
}

export async function handleSessionEnd(input: HookInput, ctx: HookContext): Promise<HookResult> {
  ctx.notifications.getEventBus().emitToEventSystem({
    type: "session_end",
    source: "SessionEnd",
    payload: { sessionId: input.session_id, reason: input.reason ?? null },
  });
  return {};
}
