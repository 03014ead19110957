import type { BgNotifyConfig } from "../core/types.js";
import type { AgentReportAnswer, AgentReportEvent, AppendEvent, ClassicEvent, PromptSubmitAnswer, PromptSubmitEvent, TimerHandle } from "./engine.js";
import { type KeyValueStore } from "./session-store.js";
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
export declare const HELD_ROW_SUFFIX = "held by bg-notify for one wake-up per batch";
/** The same under policy `defer`: no wake-up comes; the next prompt carries it. */
export declare const DEFERRED_ROW_SUFFIX = "held by bg-notify for your next prompt (policy defer)";
export interface LayerDecision {
    name: "module" | "hooks";
    why: string;
}
/** Whether this layer holds in a session: the configuration decides, and what the layer cannot do. */
export declare function chooseLayer(config: BgNotifyConfig, configWarnings: readonly string[]): LayerDecision;
export declare class ModuleLayer {
    private readonly host;
    private readonly config;
    decision: LayerDecision;
    private readonly project;
    private sessions;
    private timers;
    /** Lines for the engine's rows under notices held, in the order the notices were held. */
    private heldRows;
    private active;
    private currentSession;
    /** Sessions bg-notify steps aside for (core/host.ts), as learnt. */
    private asides;
    constructor(host: ModuleHost, config: BgNotifyConfig, decision: LayerDecision, project: string);
    /** The session's id, asked of the engine once (a dispatch each time) until the session ends. */
    private sessionOf;
    /** The session ended (`/clear` too, after which no start comes): the next event names the new one. */
    sessionEnded(): void;
    get holding(): boolean;
    /** At the session's start: stand the command hooks down, and wake for a batch a previous process owed. */
    start(): Promise<void>;
    promptSubmit(e: PromptSubmitEvent, next: (e: PromptSubmitEvent) => Promise<PromptSubmitAnswer>): Promise<PromptSubmitAnswer>;
    agentReport(e: AgentReportEvent, next: (e: AgentReportEvent) => Promise<AgentReportAnswer>): Promise<AgentReportAnswer>;
    /** A row the session keeps: the engine's line under a held notice, and its resume report, in our words. */
    append<A>(e: AppendEvent, next: (e: AppendEvent) => Promise<A>): Promise<A>;
    /** PostToolUse, as the command hook reads it: launches and stops, so "still running" is known. */
    postToolUse(e: ClassicEvent): Promise<void>;
    /** SubagentStop: a subagent's own background work ends with it (its outcomes went to the agent). */
    subagentStop(e: ClassicEvent): Promise<void>;
    /**
     * Stop, as the command hook reads it: Claude Code's list of what still runs, so a task stopped with no
     * notice (the person's stop) stops counting as running.
     */
    stop(e: ClassicEvent): Promise<void>;
    private holdNotice;
    private handOver;
    /** "All background work done", through the person's own notification channel; never waited for. */
    private signalAllDone;
    /** The batch's prompt did not enter: it is owed again, and the timer tries later, `tries` times in all. */
    private reopen;
    private recordTold;
    /** Read once per session from its record (a resumed session stays aside); then kept here. */
    private isAside;
    /** From now on this session holds nothing; the person is told why once. */
    private stepAside;
    /** Sets the session's timer for its next due batch (or `inMs` from now); an earlier one stays. */
    private arm;
    private disarm;
    /**
     * The timer: what `nextTimerStep` (core/protocol.ts) says, the command hooks' own rule: wait for the
     * window, and while tasks still run for a pause in their notices; then wake the parent once for every
     * batch owed. The module has no echo to wait for and nothing to learn from the transcript.
     */
    private wake;
    /**
     * A turn of the main loop starts (a wake-up's, a typed prompt's, any other): every note held so far
     * rides its request, so what is still owed is told by it, and no wake-up is needed for it.
     */
    turnStart(e: {
        agentId?: string;
    }): Promise<void>;
    /**
     * Claude Code's resume report names tasks whose notices this layer held as "didn't finish … marked
     * stopped": it found no completion record, as the notices never became prompts. They did finish, and
     * the conversation tells each (the held notes, the summary); the report is rewritten to say so
     * without naming them again. Tasks it never held keep Claude Code's words.
     */
    private correctResumeReport;
    private session;
    private notifier;
}
