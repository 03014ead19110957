// The real CLI's interactive UI in tmux: a temporary HOME whose first-run screens are pre-answered, the
// CLI started in a detached 200×50 pane, keys sent with send-keys and the screen read with capture-pane.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "./messages-api-stub.ts";
import { cliEnv } from "./run-claude.ts";

export const DUMMY_KEY = "sk-ant-dummy-e2e-key-0000000000000000";

export function tmuxAvailable(): boolean {
  return spawnSync("tmux", ["-V"]).status === 0;
}

export interface TuiOptions {
  claudeBin: string;
  baseUrl: string;
  allowedTools: string[];
  pluginDir?: string;
  env?: Record<string, string>;
  /** Reuse these directories (a second process of the same session, `--continue`). */
  dirs?: { root: string; home: string; project: string };
  extraArgs?: string[];
  /** The user's `~/.claude/settings.json` (a `statusLine`, say). */
  settings?: Record<string, unknown>;
  label: string;
}

export class Tui {
  readonly root: string;
  readonly home: string;
  readonly project: string;
  readonly session: string;
  private readonly socket: string;

  constructor(private readonly o: TuiOptions) {
    this.root = o.dirs?.root ?? mkdtempSync(join(tmpdir(), `bg-notify-tui-${o.label}-`));
    this.home = o.dirs?.home ?? join(this.root, "home");
    this.project = o.dirs?.project ?? join(this.root, "project");
    this.session = `bgn-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.socket = join(this.root, "tmux.sock");
    if (!o.dirs) {
      mkdirSync(this.home, { recursive: true });
      mkdirSync(this.project, { recursive: true });
      writeFileSync(join(this.project, "README.md"), "tui scratch project\n");
      // First-run screens answered: onboarding, the custom API key, the project's trust dialog.
      writeFileSync(
        join(this.home, ".claude.json"),
        JSON.stringify({
          hasCompletedOnboarding: true,
          lastOnboardingVersion: "2.1.332",
          customApiKeyResponses: { approved: [DUMMY_KEY, DUMMY_KEY.slice(-20)], rejected: [] },
          projects: { [this.project]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } },
        }),
      );
      if (o.settings) {
        mkdirSync(join(this.home, ".claude"), { recursive: true });
        writeFileSync(join(this.home, ".claude", "settings.json"), JSON.stringify(o.settings));
      }
    }
  }

  private tmux(...args: string[]) {
    return spawnSync("tmux", ["-S", this.socket, ...args], { encoding: "utf8" });
  }

  start(): void {
    // BG_NOTIFY_E2E_DEBUG_DIR=DIR: Claude Code's own debug log of each session there (its hooks' timing,
    // each prompt's screening and drop, every request), to read what a flaky check raced against.
    const debugDir = process.env["BG_NOTIFY_E2E_DEBUG_DIR"];
    const env = cliEnv(this.home, this.o.baseUrl, {
      ANTHROPIC_API_KEY: DUMMY_KEY,
      ...this.o.env,
      ...(debugDir ? { CLAUDE_CODE_DEBUG_LOG_LEVEL: "verbose" } : {}),
    });
    const args = [
      this.o.claudeBin,
      "--permission-mode",
      "default",
      "--allowedTools",
      this.o.allowedTools.join(","),
      ...(this.o.pluginDir ? ["--plugin-dir", this.o.pluginDir] : []),
      ...(this.o.extraArgs ?? []),
      ...(debugDir ? ["--debug-file", join(debugDir, `${this.session}.txt`)] : []),
    ];
    const envArgs = Object.entries(env)
      .filter(([, v]) => v !== undefined)
      .flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    const r = this.tmux(
      "new-session",
      "-d",
      "-s",
      this.session,
      "-x",
      "200",
      "-y",
      "50",
      "-c",
      this.project,
      ...envArgs,
      ...args,
    );
    if (r.status !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
  }

  /** The visible screen (and `history` lines of scrollback above it). */
  screen(history = 0): string {
    const r = this.tmux("capture-pane", "-p", "-t", this.session, ...(history ? ["-S", `-${history}`] : []));
    return r.stdout ?? "";
  }

  alive(): boolean {
    return this.tmux("has-session", "-t", this.session).status === 0;
  }

  /** Types text literally (no Enter). */
  type(text: string): void {
    this.tmux("send-keys", "-t", this.session, "-l", text);
  }

  key(...keys: string[]): void {
    this.tmux("send-keys", "-t", this.session, ...keys);
  }

  async waitFor(what: string, holds: () => boolean, timeoutMs = 30_000, everyMs = 50): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (holds()) return;
      await sleep(everyMs);
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${this.screen()}`);
  }

  /** The input box is up (the CLI has started and is idle). */
  async ready(timeoutMs = 30_000): Promise<void> {
    await this.waitFor("the prompt", () => /❯|>\s*$|\? for shortcuts/m.test(this.screen()), timeoutMs);
  }

  async exit(): Promise<void> {
    if (this.alive()) {
      this.key("C-c");
      await sleep(300);
      this.key("C-c");
    }
    const until = Date.now() + 10_000;
    while (this.alive() && Date.now() < until) await sleep(100);
    this.tmux("kill-server");
  }

  cleanup(): void {
    this.tmux("kill-server");
    // With a debug directory, the session's whole tree (transcripts, the plugin's state) goes beside its log.
    const debugDir = process.env["BG_NOTIFY_E2E_DEBUG_DIR"];
    if (debugDir)
      cpSync(this.root, join(debugDir, `${this.session}-root`), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (src) => src !== this.socket,
      });
    // The CLI and its hooks may still be writing under HOME as they go (seen once: ENOTEMPTY).
    rmSync(this.root, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}
