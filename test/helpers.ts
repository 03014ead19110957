// Shared scaffolding for the tests: the one way to get a temp directory or project, task factories, a
// manual clock, and a recorder of the event bus.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { BackgroundTask } from "../src/core/types.ts";
import type { HookEventBus } from "../src/library/event-bus.ts";
import { makeTask } from "./fixtures/claude-inputs.ts";

/** A directory of its own for one test, removed when the test ends: the one way tests get one. */
export function tempDir(t: TestContext, label = "test"): string {
  const { dir, cleanup } = tempProject(label);
  t.after(cleanup);
  return dir;
}

export interface TempProject {
  dir: string;
  /** Where the store keeps this project's state (`<dir>/.claude/bg-notify`). */
  stateDir: string;
  cleanup: () => void;
}

/** A temp project for one test, removed when the test ends. */
export function testProject(t: TestContext, label = "test"): TempProject {
  const project = tempProject(label);
  t.after(project.cleanup);
  return project;
}

/** A temp directory used as a project, for a caller that removes it itself (`cleanup`). */
export function tempProject(label = "test"): TempProject {
  const dir = mkdtempSync(join(tmpdir(), `bg-notify-${label}-`));
  return {
    dir,
    stateDir: join(dir, ".claude", "bg-notify"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `fn` in a fresh temp project, removed afterwards whatever happens. */
export async function withProject(fn: (project: TempProject) => Promise<void>): Promise<void> {
  const project = tempProject();
  try {
    await fn(project);
  } finally {
    project.cleanup();
  }
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
