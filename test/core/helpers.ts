// Shared scaffolding for the core tests: a temp dir per test, task factories, a manual clock, and a way
// to let promise-based stores settle while node:test's mock timers hold setTimeout.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { BackgroundTask } from "../../src/core/types.ts";
import type { HookEventBus } from "../../src/library/event-bus.ts";
import { makeTask } from "../fixtures/claude-inputs.ts";

export function tempDir(t: TestContext, label = "core"): string {
  const dir = mkdtempSync(join(tmpdir(), `bg-notify-${label}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A finished task for the library tests (the shared factory, with a result or error to tell). */
export function finishedTask(
  id: string,
  parentSessionId: string,
  status: BackgroundTask["status"] = "completed",
  extra: Partial<BackgroundTask> = {},
): BackgroundTask {
  const {
    command: _command,
    background: _background,
    startedAt: _startedAt,
    exitCode: _exitCode,
    ...task
  } = makeTask(id, parentSessionId, status);
  return {
    ...task,
    description: `task ${id}`,
    completedAt: 1,
    ...(status === "completed" ? { result: `result of ${id}` } : {}),
    ...(status === "error" ? { error: `error of ${id}` } : {}),
    ...extra,
  };
}

export interface ManualClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** setImmediate is not among the mocked APIs, so this drains promise chains even under mock timers. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Every payload dispatched on the bus, by event type, in order. */
export function record(bus: HookEventBus): Map<string, unknown[]> {
  const seen = new Map<string, unknown[]>();
  bus.subscribe("*", (payload, type) => {
    const list = seen.get(type) ?? [];
    list.push(payload);
    seen.set(type, list);
  });
  return seen;
}
