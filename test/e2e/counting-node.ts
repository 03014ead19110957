// The hooks' node, counted: a wrapper that notes each bundle it starts (see `countingNode`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A node for the hooks (`BG_NOTIFY_NODE`) that notes each bundle it starts: the launcher's fast path is
 * judged by what it starts, not only by a latency that varies 30–130 ms per prompt, and a session the
 * hooks module holds by the command hooks' node processes (none). The state directory exists (empty),
 * so SessionStart and SessionEnd of the command hooks do start node: that they are counted shows the
 * wrapper is the node the hooks use.
 */
export function countingNode(
  dir: string,
  options: { stateDir: boolean } = { stateDir: true },
): {
  dir: string;
  env: Record<string, string>;
  stateDir: string;
  starts: () => string[];
} {
  const log = join(dir, "node-starts.log");
  const wrapper = join(dir, "node");
  const state = join(dir, "state");
  if (options.stateDir) mkdirSync(state, { mode: 0o700 });
  writeFileSync(
    wrapper,
    `#!/bin/sh\nprintf '%s\\n' "\${1##*/}" >>'${log}'\nexec '${process.execPath}' "$@"\n`,
    { mode: 0o755 },
  );
  return {
    dir,
    env: { BG_NOTIFY_NODE: wrapper, ...(options.stateDir ? { BG_NOTIFY_STATE_DIR: state } : {}) },
    stateDir: state,
    starts: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .filter((l) => l !== "")
        : [],
  };
}
