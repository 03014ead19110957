// A stand-in for the engine under the module layer: a manual clock and timers, a key-value store, and
// records of what the layer appended and submitted. One per test.
import { DEFAULT_CONFIG } from "../../src/core/config.ts";
import type { BgNotifyConfig } from "../../src/core/types.ts";
import type { PromptSubmitAnswer, PromptSubmitEvent } from "../../src/module/engine.ts";
import { chooseLayer, type ModuleHost, ModuleLayer } from "../../src/module/layer.ts";

export const SESSION = "0b7e5a52-5c8e-4d7a-9a55-3f1c2a4d9e01";

export class FakeHost implements ModuleHost {
  time = 1_800_000_000_000;
  notes: string[] = [];
  submitted: string[] = [];
  notified: string[] = [];
  logs: string[] = [];
  /** Lines shown to the person. */
  said: string[] = [];
  values = new Map<string, unknown>();
  timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  refuseNotes = false;
  refuseSubmits = 0;
  refuseMarker = false;
  marked = false;
  session = SESSION;

  now(): number {
    return this.time;
  }
  async sessionId(): Promise<string> {
    return this.session;
  }
  store = {
    get: async (key: string) => structuredClone(this.values.get(key)),
    set: async (key: string, value: unknown) => {
      this.values.set(key, JSON.parse(JSON.stringify(value)));
    },
    delete: async (key: string) => {
      this.values.delete(key);
    },
    keys: async () => [...this.values.keys()],
  };
  async appendNote(text: string): Promise<boolean> {
    if (this.refuseNotes) return false;
    this.notes.push(text);
    return true;
  }
  async submit(text: string): Promise<boolean> {
    if (this.refuseSubmits > 0) {
      this.refuseSubmits--;
      return false;
    }
    this.submitted.push(text);
    return true;
  }
  async notify(text: string): Promise<boolean> {
    this.notified.push(text);
    return true;
  }
  after(ms: number, fn: () => void) {
    const timer = { at: this.time + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }
  async standDownCommandHooks(): Promise<boolean> {
    if (this.refuseMarker) return false;
    this.marked = true;
    return true;
  }
  say(line: string): void {
    this.said.push(line);
  }

  log(line: string): void {
    this.logs.push(line);
  }

  /** Moves the clock on, running each timer that falls due, and lets what they start settle. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.time = until;
    await settle();
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

/** Lets promise chains the layer started without awaiting run to their end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

export async function startLayer(host: FakeHost, config: Partial<BgNotifyConfig> = {}): Promise<ModuleLayer> {
  const full: BgNotifyConfig = { ...DEFAULT_CONFIG, modelConcurrency: {}, ...config };
  const layer = new ModuleLayer(host, full, chooseLayer(full, []), "/home/dev/project");
  await layer.start();
  await settle();
  return layer;
}

/** A `next` that records what reached it and answers as the engine does when the prompt entered. */
export function passThrough(): {
  next: (e: PromptSubmitEvent) => Promise<PromptSubmitAnswer>;
  seen: PromptSubmitEvent[];
} {
  const seen: PromptSubmitEvent[] = [];
  return {
    seen,
    next: async (e) => {
      seen.push(e);
      return { text: e.text, ...(e.context ? { context: e.context } : {}) };
    },
  };
}

export function idleNotice(text: string): PromptSubmitEvent {
  return { text, origin: { kind: "task-notification" }, wait: false };
}
