// The in-process delivery layer: Claude Code's hooks module events turned into the same pure decisions
// the command hooks act on (claude/ and core/), held in the session's own environment with no process.
// Holding a notice: its text appended as a note, the prompt answered without `next`; one wake-up a batch.

import type { HookInput } from "../claude/hook-input.js";
import { launchFrom, stoppedTaskFrom } from "../claude/launch.js";
import { isStoppedByPerson, type ParsedNotice, parseTaskNotification } from "../claude/task-notification.js";
import { endAgentOwnWork } from "../claude/track-agents.js";
import { recordLaunch } from "../claude/track-launches.js";
import { recordNotice, taskFromNotice } from "../claude/track-notices.js";
import {
  listedBackgroundTasks,
  needsReconcile,
  reconcileBackgroundTasks,
  recordModelStop,
} from "../claude/track-stops.js";
import { type AllDone, allDoneText, claimAllDone } from "../core/all-done.js";
import { nextDueAt, unclaimBatch, undeliveredBatches } from "../core/batching.js";
import { limitsFrom } from "../core/config.js";
import { describeError } from "../core/errors.js";
import { clip, FIELD_CHARS } from "../core/guards.js";
import { asideOf, claimAsideLine, stepAside, unknownNoticeWhy } from "../core/host.js";
import {
  MODULE_RESUBMIT_MS,
  MODULE_RESUBMIT_TRIES,
  MODULE_RESUME_WAKE_MS,
  nextTimerStep,
} from "../core/protocol.js";
import { noteCompletion, noteTranscript } from "../core/savings.js";
import { AUTOMATED_REPORT, formatBatchNotification } from "../core/summary.js";
import { recordNativeDelivery } from "../core/told.js";
import type { BackgroundTask, BgNotifyConfig, Delivery } from "../core/types.js";
import { DurableNotifier } from "../library/durable-notifier.js";
import { createHookEventBus } from "../library/event-bus.js";
import type {
  AgentReportAnswer,
  AgentReportEvent,
  AppendEvent,
  ClassicEvent,
  PromptSubmitAnswer,
  PromptSubmitEvent,
  TimerHandle,
} from "./engine.js";
import { type KeyValueStore, openSessionStore, type SessionStore } from "./session-store.js";

/** What the layer needs of the engine, in its own words (register.ts builds it from `$`). */
export interface ModuleHost {
  /** Milliseconds since the epoch. */
  now(): number;
  sessionId(): Promise<string>;
  store: KeyValueStore;
  /** Appends a note for the model: it rides the main loop's next request. False when the engine refused it. */
  appendNote(text: string): Promise<boolean>;
  /** Submits a prompt that starts a turn once the session is idle. False when it did not enter. */
  submit(text: string): Promise<boolean>;
  /** A native notification to the person, through their own channel. False when none was sent. */
  notify(text: string): Promise<boolean>;
  after(ms: number, fn: () => void): TimerHandle;
  /** Tells the command hooks of this process to stand down. False when the engine refused. */
  standDownCommandHooks(): Promise<boolean>;
  /** A line for the person's debug log. */
  log(line: string): void;
  /** A line the person sees (a dim row of the transcript, not sent to the model; `ui_log` in `-p`). */
  say(line: string): void;
}

/** What the engine's "Prompt not submitted" row says for a notice this layer holds. */
export const HELD_ROW_SUFFIX = "held by bg-notify for one wake-up per batch";
/** The same under policy `defer`: no wake-up comes; the next prompt carries it. */
export const DEFERRED_ROW_SUFFIX = "held by bg-notify for your next prompt (policy defer)";
const NOT_SUBMITTED_ROW = "Prompt not submitted";
const ORPHAN_MARKER = "__orphan_summary__";

export interface LayerDecision {
  name: "module" | "hooks";
  why: string;
}

/** Whether this layer holds in a session: the configuration decides, and what the layer cannot do. */
export function chooseLayer(config: BgNotifyConfig, configWarnings: readonly string[]): LayerDecision {
  if (config.layer === "hooks") return { name: "hooks", why: 'the configuration asks for "layer": "hooks"' };
  if (config.mode === "off") return { name: "hooks", why: "mode is off: nothing is held" };
  if (config.mode === "summarize")
    return { name: "hooks", why: "mode summarize is served by the command hooks" };
  if (config.concurrency !== "off")
    return { name: "hooks", why: `concurrency "${config.concurrency}" is enforced by the command hooks` };
  if (configWarnings.length > 0) return { name: "hooks", why: "the configuration has problems (see doctor)" };
  return { name: "module", why: "Claude Code loaded the hooks module" };
}

export class ModuleLayer {
  private readonly host: ModuleHost;
  private readonly config: BgNotifyConfig;
  decision: LayerDecision;
  private readonly project: string;
  private sessions = new Map<string, Promise<SessionStore>>();
  private timers = new Map<string, { at: number; handle: TimerHandle; tries: number }>();
  /** Lines for the engine's rows under notices held, in the order the notices were held. */
  private heldRows: string[] = [];
  private active: boolean;
  private currentSession: Promise<string> | undefined;
  /** Sessions bg-notify steps aside for (core/host.ts), as learnt. */
  private asides = new Map<string, boolean>();

  constructor(host: ModuleHost, config: BgNotifyConfig, decision: LayerDecision, project: string) {
    this.host = host;
    this.config = config;
    this.decision = decision;
    this.project = project;
    this.active = decision.name === "module";
  }

  /** The session's id, asked of the engine once (a dispatch each time) until the session ends. */
  private sessionOf(): Promise<string> {
    this.currentSession ??= this.host.sessionId();
    return this.currentSession;
  }

  /** The session ended (`/clear` too, after which no start comes): the next event names the new one. */
  sessionEnded(): void {
    this.currentSession = undefined;
  }

  get holding(): boolean {
    return this.active;
  }

  /** At the session's start: stand the command hooks down, and wake for a batch a previous process owed. */
  async start(): Promise<void> {
    const sessionId = await this.sessionOf();
    if (this.active && !(await this.host.standDownCommandHooks())) {
      this.active = false;
      this.decision = { name: "hooks", why: "Claude Code refused the stand-down marker" };
      this.host.log("bg-notify: Claude Code refused the stand-down marker; the command hooks hold instead");
    }
    // Kept either way: doctor and status say which layer held this session, and why.
    const store = await this.session(sessionId);
    store.record.layer = this.decision;
    await store.save();
    if (!this.active) return;
    // Timers die with the process: a batch owed by one that exited gets its wake-up now, unless a
    // prompt at the start takes it first.
    if (undeliveredBatches(await store.read(), sessionId).length > 0)
      void this.arm(sessionId, MODULE_RESUME_WAKE_MS);
  }

  async promptSubmit(
    e: PromptSubmitEvent,
    next: (e: PromptSubmitEvent) => Promise<PromptSubmitAnswer>,
  ): Promise<PromptSubmitAnswer> {
    if (!this.active) return next(e);
    const sessionId = await this.sessionOf();
    if (e.origin.kind === "task-notification") {
      const notice = parseTaskNotification(e.text);
      // A notice of a form or kind not known: bg-notify steps aside for the session (core/host.ts), and
      // what it held before rides the turn this notice starts.
      if (notice?.noticeKind === "unknown") {
        await this.stepAside(sessionId, unknownNoticeWhy(notice.taskId));
        return this.handOver(sessionId, e, next);
      }
      // Only a completion is held: a Monitor's events, an agent waiting on its own work and the resume
      // report pass untouched.
      if (notice?.noticeKind !== "completion") return next(e);
      if (e.turnId !== undefined) {
        // Inside a running turn Claude Code folds it into that turn's next request at no extra cost.
        await this.recordTold(sessionId, notice, "native-in-turn");
        return next(e);
      }
      if (await this.isAside(sessionId)) {
        await this.recordTold(sessionId, notice, "native-aside");
        return this.handOver(sessionId, e, next);
      }
      return this.holdNotice(sessionId, notice, e, next);
    }
    // A turn starts (typed, the SDK, another plugin): the held notes ride its request, and the summary
    // with it, so no wake-up is needed.
    return this.handOver(sessionId, e, next);
  }

  async agentReport(
    e: AgentReportEvent,
    next: (e: AgentReportEvent) => Promise<AgentReportAnswer>,
  ): Promise<AgentReportAnswer> {
    const answer = await next(e);
    // An agent of a subagent reports to that agent, not to the session.
    if (!this.active || e.parentAgentId !== undefined || answer.consumed !== undefined) return answer;
    const sessionId = await this.sessionOf();
    if (await this.isAside(sessionId)) return answer;
    const store = await this.session(sessionId);
    const task = agentTask(sessionId, e, answer.text, this.host.now());
    const notifier = this.notifier(store);
    let allDone: AllDone | undefined;
    const outcome = await notifier.transact((state, record) => {
      const recorded = record(task);
      if (recorded.kind === "queued") noteCompletion(state, sessionId, task.completedAt ?? 0, true);
      if (this.config.notifyAllDone) allDone = claimAllDone(state, sessionId, task.completedAt ?? 0);
      return recorded;
    }, task.completedAt);
    if (allDone) this.signalAllDone(allDone);
    if (outcome.kind !== "queued") return answer;
    const kept = await this.host.appendNote(agentNote(e, answer)).catch(() => false);
    if (!kept) {
      await store.transact((state) =>
        recordNativeDelivery(state, task, this.host.now(), "native-out-of-band"),
      );
      return answer;
    }
    void this.arm(sessionId);
    return { consumed: `bg-notify holds agent ${e.agentId}'s report for one wake-up per batch` };
  }

  /** A row the session keeps: the engine's line under a held notice, and its resume report, in our words. */
  async append<A>(e: AppendEvent, next: (e: AppendEvent) => Promise<A>): Promise<A> {
    if (!this.active) return next(e);
    const message = e.message;
    const text = firstText(message.content);
    if (message.type === "system" && text?.startsWith(NOT_SUBMITTED_ROW)) {
      const line = this.heldRows.shift();
      if (line !== undefined) return next(withText(e, line));
    }
    // A row of Claude Code's queue: the notice of a task the person stopped reaches the model by no
    // prompt, so this is where it is learnt (it no longer counts as running, and is told natively).
    if (e["door"] === "queue" && e.origin?.kind === "engine" && text !== undefined) {
      const notice = parseTaskNotification(text);
      if (notice?.noticeKind === "completion" && isStoppedByPerson(notice))
        await this.recordTold(await this.sessionOf(), notice, "native-out-of-band");
    }
    if (text?.includes(ORPHAN_MARKER) && e.origin?.kind === "task-notification") {
      const corrected = await this.correctResumeReport(text);
      if (corrected !== undefined) return next(withText(e, corrected));
    }
    return next(e);
  }

  /** PostToolUse, as the command hook reads it: launches and stops, so "still running" is known. */
  async postToolUse(e: ClassicEvent): Promise<void> {
    const input = this.active ? hookInputOf(e) : undefined;
    if (!input) return;
    const launch = launchFrom(input);
    const stopped = stoppedTaskFrom(input);
    if (!launch && !stopped) return;
    const store = await this.session(input.session_id);
    const now = this.host.now();
    await store.soon((state) => {
      if (stopped) recordModelStop(state, input.session_id, stopped, now);
      if (launch) {
        recordLaunch(state, input.session_id, launch, now);
        noteTranscript(state, input.session_id, input.transcript_path, now);
      }
    });
  }

  /** SubagentStop: a subagent's own background work ends with it (its outcomes went to the agent). */
  async subagentStop(e: ClassicEvent): Promise<void> {
    const input = this.active ? hookInputOf(e) : undefined;
    if (typeof input?.agent_id !== "string") return;
    const agentId = input.agent_id;
    const store = await this.session(input.session_id);
    const now = this.host.now();
    await store.transact((state) => endAgentOwnWork(state, input.session_id, agentId, now));
  }

  /**
   * Stop, as the command hook reads it: Claude Code's list of what still runs, so a task stopped with no
   * notice (the person's stop) stops counting as running.
   */
  async stop(e: ClassicEvent): Promise<void> {
    const input = this.active ? hookInputOf(e) : undefined;
    const listed = input ? listedBackgroundTasks(input) : undefined;
    if (!input || !listed) return;
    const store = await this.session(input.session_id);
    if (!needsReconcile(await store.read(), input.session_id, listed)) return;
    const now = this.host.now();
    await store.transact((state) =>
      reconcileBackgroundTasks(state, input.session_id, listed, now, this.config.reconcileGraceMs),
    );
  }

  private async holdNotice(
    sessionId: string,
    notice: ParsedNotice,
    e: PromptSubmitEvent,
    next: (e: PromptSubmitEvent) => Promise<PromptSubmitAnswer>,
  ): Promise<PromptSubmitAnswer> {
    const store = await this.session(sessionId);
    const now = this.host.now();
    let allDone: AllDone | undefined;
    const outcome = await this.notifier(store).transact((state, record) => {
      const recorded = recordNotice(state, sessionId, notice, now, record);
      if (recorded.kind === "queued") noteCompletion(state, sessionId, now, true);
      if (this.config.notifyAllDone) allDone = claimAllDone(state, sessionId, now);
      return recorded;
    }, now);
    if (allDone) this.signalAllDone(allDone);
    if (outcome.kind !== "queued" && !(outcome.kind === "duplicate" && !outcome.delivered)) return next(e);
    // The record is committed before the notice is kept out: a hold never stands without it. A note the
    // engine refused leaves the notice to Claude Code, and the record says so.
    const kept = await this.host.appendNote(e.text).catch(() => false);
    if (!kept) {
      await this.recordTold(sessionId, notice, "native-out-of-band");
      return next(e);
    }
    this.heldRows.push(
      heldRow(notice, this.config.policy === "defer" ? DEFERRED_ROW_SUFFIX : HELD_ROW_SUFFIX),
    );
    void this.arm(sessionId);
    return { text: e.text };
  }

  private async handOver(
    sessionId: string,
    e: PromptSubmitEvent,
    next: (e: PromptSubmitEvent) => Promise<PromptSubmitAnswer>,
  ): Promise<PromptSubmitAnswer> {
    const store = await this.session(sessionId);
    if (undeliveredBatches(await store.read(), sessionId).length === 0) return next(e);
    const deliveries = await this.notifier(store).flushParent(sessionId, {
      force: true,
      via: "module-prompt",
      brief: true,
    });
    if (deliveries.length === 0) return next(e);
    this.disarm(sessionId);
    const summary = summaryOf(deliveries);
    let answer: PromptSubmitAnswer;
    try {
      answer = await next({ ...e, context: [...(e.context ?? []), summary] });
    } catch (error) {
      await this.reopen(store, sessionId, deliveries);
      throw error;
    }
    if (answer.drop !== undefined) await this.reopen(store, sessionId, deliveries);
    return answer;
  }

  /** "All background work done", through the person's own notification channel; never waited for. */
  private signalAllDone(done: AllDone): void {
    void this.host
      .notify(allDoneText(done))
      .then((sent) => {
        if (!sent) this.host.log("bg-notify: all background work is done; Claude Code sent no notification");
      })
      .catch((error) =>
        this.host.log(`bg-notify: the all-done notification failed (${describeError(error)})`),
      );
  }

  /** The batch's prompt did not enter: it is owed again, and the timer tries later, `tries` times in all. */
  private async reopen(
    store: SessionStore,
    sessionId: string,
    deliveries: readonly Delivery[],
    tries = 0,
  ): Promise<void> {
    const ids = deliveries.map((d) => d.batchId);
    await store.transact((state) => {
      for (const batch of state.batches) if (ids.includes(batch.id)) unclaimBatch(batch);
    });
    if (tries < MODULE_RESUBMIT_TRIES) {
      await this.arm(sessionId, MODULE_RESUBMIT_MS, tries);
      return;
    }
    this.disarm(sessionId);
    this.host.log("bg-notify: Claude Code did not take the wake-up; the held notices ride the next turn");
  }

  private async recordTold(
    sessionId: string,
    notice: ParsedNotice,
    via: "native-in-turn" | "native-out-of-band" | "native-aside",
  ) {
    const store = await this.session(sessionId);
    const now = this.host.now();
    await store.transact((state) => {
      const told = recordNativeDelivery(state, taskFromNotice(state, sessionId, notice, now), now, via);
      if (told.kind === "told" && via !== "native-out-of-band")
        noteCompletion(state, sessionId, now, via === "native-aside");
    });
  }

  /** Read once per session from its record (a resumed session stays aside); then kept here. */
  private async isAside(sessionId: string): Promise<boolean> {
    let aside = this.asides.get(sessionId);
    if (aside === undefined) {
      aside = asideOf(await (await this.session(sessionId)).read(), sessionId) !== undefined;
      this.asides.set(sessionId, aside);
    }
    return aside;
  }

  /** From now on this session holds nothing; the person is told why once. */
  private async stepAside(sessionId: string, why: string): Promise<void> {
    const store = await this.session(sessionId);
    const now = this.host.now();
    const line = await store.transact((state) => {
      stepAside(state, sessionId, why, now);
      return claimAsideLine(state, sessionId, now);
    });
    this.asides.set(sessionId, true);
    if (line) {
      this.host.say(line);
      this.host.log(line);
    }
  }

  /** Sets the session's timer for its next due batch (or `inMs` from now); an earlier one stays. */
  private arm(sessionId: string, inMs?: number, tries = 0): Promise<void> {
    return this.session(sessionId)
      .then(async (store) => {
        const now = this.host.now();
        const dueAt =
          inMs !== undefined ? now + inMs : nextDueAt(await store.read(), sessionId, limitsFrom(this.config));
        if (dueAt === undefined) return;
        const current = this.timers.get(sessionId);
        if (current && current.at <= dueAt && current.tries >= tries) return;
        current?.handle.cancel();
        const handle = this.host.after(Math.max(0, dueAt - now), () => {
          void this.wake(sessionId).catch((error) =>
            this.host.log(
              `bg-notify: the wake-up failed (${describeError(error)}); the next turn tells the batch`,
            ),
          );
        });
        this.timers.set(sessionId, { at: dueAt, handle, tries });
      })
      .catch((error) => this.host.log(`bg-notify: could not set the batch timer (${describeError(error)})`));
  }

  private disarm(sessionId: string): void {
    this.timers.get(sessionId)?.handle.cancel();
    this.timers.delete(sessionId);
  }

  /**
   * The timer: what `nextTimerStep` (core/protocol.ts) says, the command hooks' own rule: wait for the
   * window, and while tasks still run for a pause in their notices; then wake the parent once for every
   * batch owed. The module has no echo to wait for and nothing to learn from the transcript.
   */
  private async wake(sessionId: string): Promise<void> {
    const timer = this.timers.get(sessionId);
    this.timers.delete(sessionId);
    const tries = timer?.tries ?? 0;
    const store = await this.session(sessionId);
    const now = this.host.now();
    if (tries === 0) {
      const step = nextTimerStep({
        state: await store.read(),
        sessionId,
        now,
        limits: limitsFrom(this.config),
        giveUpAt: Number.POSITIVE_INFINITY,
        settled: true,
        answered: new Set(),
      });
      if (step.kind === "stop") return;
      if (step.kind === "wait") {
        await this.arm(sessionId, step.ms);
        return;
      }
    }
    // The wake-up's request carries every note held so far, so it tells every batch owed.
    const deliveries = await this.notifier(store).flushParent(sessionId, {
      force: true,
      via: "module-wake",
      brief: true,
    });
    if (deliveries.length === 0) return;
    // The summary, a line per task, goes as a note (the model reads it; nothing draws it); the prompt,
    // which the screen shows like a typed one, is a single line.
    const summary = summaryOf(deliveries);
    const noted = await this.host.appendNote(summary).catch(() => false);
    const entered = await this.host.submit(noted ? wakeLine(deliveries) : summary).catch(() => false);
    if (!entered) await this.reopen(store, sessionId, deliveries, tries + 1);
  }

  /**
   * A turn of the main loop starts (a wake-up's, a typed prompt's, any other): every note held so far
   * rides its request, so what is still owed is told by it, and no wake-up is needed for it.
   */
  async turnStart(e: { agentId?: string }): Promise<void> {
    if (!this.active || e.agentId !== undefined) return;
    const sessionId = await this.sessionOf();
    const store = await this.session(sessionId);
    if (undeliveredBatches(await store.read(), sessionId).length === 0) return;
    await this.notifier(store).flushParent(sessionId, { force: true, via: "module-note", brief: true });
    this.disarm(sessionId);
  }

  /**
   * Claude Code's resume report names tasks whose notices this layer held as "didn't finish … marked
   * stopped": it found no completion record, as the notices never became prompts. They did finish, and
   * the conversation tells each (the held notes, the summary); the report is rewritten to say so
   * without naming them again. Tasks it never held keep Claude Code's words.
   */
  private async correctResumeReport(text: string): Promise<string | undefined> {
    const sessionId = await this.sessionOf();
    const store = await this.session(sessionId);
    const state = await store.read();
    const ids = [...text.matchAll(/<task-id>([^<]+)<\/task-id>/g)]
      .map((m) => (m[1] ?? "").trim())
      .filter((id) => !id.startsWith(ORPHAN_MARKER));
    // Every batch but those Claude Code told itself holds tasks whose notices this layer kept back.
    const held = new Map<string, string>();
    for (const batch of state.batches)
      if (batch.parentSessionId === sessionId && batch.toldBy !== "claude-code")
        for (const item of batch.items) held.set(item.task.id, batch.id);
    const ours = ids.filter((id) => held.has(id));
    if (ours.length === 0) return undefined;
    const batchIds = new Set(ours.map((id) => held.get(id)));
    const now = this.host.now();
    await store.transact((s) => {
      for (const batch of s.batches)
        if (batchIds.has(batch.id) && batch.deliveredAt !== undefined) batch.correctedAt = now;
    });
    const note = `[bg-notify] ${ours.length === ids.length ? "These background tasks" : `Of these, ${ours.join(", ")}`} did finish: bg-notify held their notices, and this conversation tells each with its outcome. They were not stopped.`;
    return ours.length === ids.length ? note : `${text}\n\n${note}`;
  }

  private session(sessionId: string): Promise<SessionStore> {
    let store = this.sessions.get(sessionId);
    if (!store) {
      store = openSessionStore(this.host.store, sessionId, {
        project: this.project,
        layer: this.decision,
        now: () => this.host.now(),
        retention: this.config,
      });
      this.sessions.set(sessionId, store);
      store.catch(() => this.sessions.delete(sessionId));
    }
    return store;
  }

  private notifier(store: SessionStore): DurableNotifier {
    const now = () => this.host.now();
    const limits = limitsFrom(this.config);
    return new DurableNotifier(
      store,
      {
        batchWindow: limits.batchWindowMs,
        maxBatchSize: limits.maxBatchSize,
        ...(limits.hold ? { hold: limits.hold } : {}),
        resultExcerptChars: this.config.resultExcerptChars,
        now,
        source: "module",
        claimant: "module",
      },
      createHookEventBus({ store, now }),
    );
  }
}

/** What the model reads of the batches told: each batch's summary, which says what it is (AUTOMATED_REPORT). */
function summaryOf(deliveries: readonly Delivery[]): string {
  return deliveries.map((d) => d.text).join("\n\n");
}

/** The wake-up prompt: one line, what finished and what still runs; the summary note above has the rest. */
function wakeLine(deliveries: readonly Delivery[]): string {
  const sum = (pick: (d: Delivery) => number) => deliveries.reduce((n, d) => n + pick(d), 0);
  const head = formatBatchNotification(
    sum((d) => d.counts.count),
    sum((d) => d.counts.completedCount),
    sum((d) => d.counts.failedCount),
    sum((d) => d.counts.cancelledCount),
    sum((d) => d.counts.unknownCount),
  );
  const running = Math.max(0, ...deliveries.map((d) => d.stillRunning));
  return `[bg-notify] ${head} · ${running > 0 ? `${running} still running` : "none still running"}. Details above. This is ${AUTOMATED_REPORT}.`;
}

/** Claude Code's own words for the task (its notice's summary), and that bg-notify holds it. */
function heldRow(notice: ParsedNotice, suffix: string): string {
  const what =
    clip(notice.summary, FIELD_CHARS.summary) ??
    `${clip(notice.description, FIELD_CHARS.description) ?? `task ${notice.taskId}`} ${notice.status}`;
  return `${what} · ${suffix}`;
}

/** A classic event is the command hook's stdin: read by the same claude/ code, once it names a session. */
function hookInputOf(e: ClassicEvent): HookInput | undefined {
  return typeof e["session_id"] === "string" ? (e as unknown as HookInput) : undefined;
}

function agentTask(sessionId: string, e: AgentReportEvent, report: string, now: number): BackgroundTask {
  const status = e.status === "completed" ? "completed" : e.status === "failed" ? "error" : "cancelled";
  const task: BackgroundTask = {
    id: e.agentId,
    parentSessionId: sessionId,
    kind: "agent",
    description: clip(e.subagentType, FIELD_CHARS.description) ?? "agent",
    status,
    originalStatus: e.status,
    background: true,
    completedAt: now,
  };
  if (status === "error") task.error = clip(report) ?? "failed";
  else task.result = clip(report);
  return task;
}

function agentNote(e: AgentReportEvent, answer: { text: string; warning?: string }): string {
  const head = `Background agent ${e.agentId} (${e.subagentType}) ${e.status === "completed" ? "completed" : e.status}.`;
  const warning = answer.warning ? `\n${answer.warning}` : "";
  return `${head}${warning} Its report:\n${answer.text}`;
}

function firstText(content: readonly unknown[] | undefined): string | undefined {
  const block = content?.[0] as { type?: unknown; text?: unknown } | undefined;
  return block?.type === "text" && typeof block.text === "string" ? block.text : undefined;
}

function withText(e: AppendEvent, text: string): AppendEvent {
  return { ...e, message: { ...e.message, content: [{ type: "text", text }] } };
}
