export type TaskStatus = "pending" | "running" | "completed" | "error" | "cancelled";
export type TerminalStatus = "completed" | "error" | "cancelled";
export type TaskKind = "shell" | "agent" | (string & {});
export interface TaskUsage {
    tokens?: number;
    toolUses?: number;
    durationMs?: number;
}
export interface BackgroundTask {
    id: string;
    parentSessionId: string;
    sessionId?: string;
    kind: TaskKind;
    description: string;
    command?: string;
    agentType?: string;
    model?: string;
    status: TaskStatus;
    /** Claude Code's own word for the outcome (`completed`, `failed`, `killed`) or `unknown`. */
    originalStatus?: string;
    queuedAt?: number;
    startedAt?: number;
    completedAt?: number;
    lastProgressAt?: number;
    result?: string;
    error?: string;
    exitCode?: number;
    outputFile?: string;
    concurrencyKey?: string;
    toolUseId?: string;
    summary?: string;
    usage?: TaskUsage;
    /** Bumped each time a finished agent is resumed, so its next completion is a new one. */
    generation?: number;
    /** Confirmed to run in the background (a foreground agent never sends a notice). */
    background?: boolean;
    /** Launched by this subagent, not by the parent: never in the parent's running set or batches. */
    ownerAgentId?: string;
    /** First time a running task was missing from Claude Code's `background_tasks`. */
    vanishedAt?: number;
    /** The parent's turn (`prompt_id`) that launched it: tasks of one turn are siblings. */
    turnId?: string;
}
export interface BatchItem {
    /** Ledger key: parent, task, generation and terminal status. */
    key: string;
    recordedAt: number;
    task: BackgroundTask;
    /**
     * The prompt (`prompt_id`) whose held notice told this completion. A turn that another prompt starts
     * carries every notice held before its request goes out; a reply to that request means it was told.
     */
    promptId?: string;
}
export type Teller = "claude-code" | "parent-read";
/** A background agent's concurrency slot, held while its launch is under way (PreToolUse → PostToolUse). */
export interface SlotReservation {
    parentSessionId: string;
    toolUseId: string;
    /** The model tier it counts against. */
    tier: string;
    description: string;
    at: number;
}
export interface Batch {
    id: string;
    parentSessionId: string;
    openedAt: number;
    items: BatchItem[];
    deliveredAt?: number;
    deliveredVia?: DeliveryRoute;
    /** The process that claimed it (bg-notify's own telling): a timer knows its own wake-up by this. */
    claimedBy?: string;
    /**
     * Who told it when bg-notify did not: Claude Code itself (its notice was never held, so Claude Code
     * knows the outcome), or the parent reading a held task's output file (held: Claude Code does not).
     */
    toldBy?: Teller;
    /**
     * When the parent was seen to receive a batch sent by an acknowledged route (the rewake, prompt or
     * session-start context): the session's transcript holds it. Until then such a batch is only sent, and
     * a session that ends or starts again without it there gets it again.
     */
    ackedAt?: number;
    /** When a resume was told the real outcomes of this batch's tasks, against Claude Code's "didn't finish". */
    correctedAt?: number;
}
export interface SessionTurn {
    promptId: string;
    at: number;
}
/** Claude Code's list of a parent's in-flight background work, as one hook saw it. */
export interface TaskListing {
    at: number;
    ids: string[];
}
/** One parent session's background work as bg-notify saw it: what `bg-notify status` weighs its savings by. */
export interface SessionTally {
    /** Completions that reached the parent, held or not. */
    completions: number;
    /** When each completion that arrived between turns came (newest last, at most TALLY_KEEP). */
    idle: number[];
    /** When bg-notify woke the parent (newest last, at most TALLY_KEEP). */
    woke: number[];
    /** The session's transcript, where each request's cost is read. */
    transcript?: string;
    /** When "all background work done" was last signalled (core/all-done.ts). */
    allDoneAt?: number;
    /** Last touched. */
    at: number;
}
export interface BgState {
    version: 1;
    /** Keyed by `taskKey(parentSessionId, id)`. */
    tasks: Record<string, BackgroundTask>;
    batches: Batch[];
    /** Completion keys already recorded, with the time they were first seen. */
    ledger: Record<string, number>;
    /** Per parent session: the turn now running (its prompt_id), so a notice inside it is told apart. */
    sessions?: Record<string, SessionTurn>;
    /** Per parent session: the last `background_tasks` list reconciled, and when (what counts as running). */
    listed?: Record<string, TaskListing>;
    /** Concurrency slots of background agents being launched, by `taskKey(parentSessionId, toolUseId)`. */
    slots?: Record<string, SlotReservation>;
    /** Per parent session: when bg-notify woke it (newest last, the last hour, at most WAKES_KEEP): a wake budget counts them. */
    wakes?: Record<string, number[]>;
    /** Per parent session: what its background work cost with bg-notify (core/savings.ts). */
    tally?: Record<string, SessionTally>;
    /** Per parent session: the Claude Code it runs on, and whether bg-notify steps aside (core/host.ts). */
    hosts?: Record<string, SessionHost>;
    updatedAt: number;
    /** How many commits wrote state.json; each journal line carries the count of the one that wrote it. */
    commits?: number;
    /** Where this state's own journal lines stand: what follows them is not in this state. */
    journal?: JournalMark;
}
/** The Claude Code of one parent session, as bg-notify learnt it. */
export interface SessionHost {
    /** Its version, from the session's transcript. */
    version?: string;
    /** Why bg-notify holds nothing more in this session; absent while it holds. */
    aside?: string;
    /** When the person was told why. */
    said?: number;
    at: number;
}
/** A span of the journal file `ino`, in bytes. */
export interface JournalMark {
    ino: number;
    from: number;
    to: number;
}
export type Mode = "coalesce" | "summarize" | "off";
/** What PreToolUse does with the per-tier limits on background agents: nothing, tell, or deny. */
export type ConcurrencyPolicy = "off" | "warn" | "enforce";
export type Layer = "auto" | "hooks";
export type Policy = "window" | "defer";
export interface WakeBudget {
    wakes: number;
    perMinutes: number;
}
/** An event as the event log keeps it. */
export interface EventRecord {
    id: string;
    time: string;
    type: string;
    payload: unknown;
    source: string;
}
export interface BgNotifyConfig {
    batchWindowMs: number;
    maxBatchSize: number;
    mode: Mode;
    /** Which delivery layer may hold: `auto`, the hooks module where Claude Code loads it; `hooks`, the command hooks. */
    layer: Layer;
    /** `window`: a batch wakes the parent when due; `defer`: never, it rides the next turn that starts. */
    policy: Policy;
    /** At most `wakes` wake-ups per `perMinutes` per session (opt-in); later batches join the next allowed one. */
    wakeBudget?: WakeBudget;
    /** Hold a batch while tasks launched in the same turn still run (opt-in). */
    waitForSiblings: boolean;
    /** One signal to the person once all of a session's background work has ended while it is idle (opt-in). */
    notifyAllDone: boolean;
    /** The longest a batch is held for its siblings, from its first completion. */
    maxHoldMs: number;
    /** While holding, a failed or killed completion is told after the ordinary window. */
    wakeOnFailure: boolean;
    concurrency: ConcurrencyPolicy;
    modelConcurrency: Record<string, number>;
    defaultConcurrency: number;
    staleTimeoutMs: number;
    reconcileGraceMs: number;
    taskTtlMs: number;
    deliveredTtlMs: number;
    /** A batch still owed after this long belongs to a session that never came back: it is closed. */
    owedTtlMs: number;
    resultExcerptChars: number;
}
export interface BatchCounts {
    count: number;
    completedCount: number;
    failedCount: number;
    cancelledCount: number;
    unknownCount: number;
}
/**
 * How a batch reached (or is reaching) the parent. Library: "max-batch-size", "batch-window",
 * "flushParent", "flushAll", "clear". Plugin: "rewake" (its own wake-up), "stop", "prompt-context",
 * "in-turn-context", "tool-result-context", "summarize", "session-<source>" (context of a hook already
 * on a turn), "native-in-turn" / "native-out-of-band" (Claude Code told it itself), "native-seen" (a
 * held notice that rode on a turn another prompt started: the model replied to it), "native-aside" (let
 * through because bg-notify steps aside for the session, core/host.ts), "read-by-parent"
 * (the parent read the finished task's output file itself), "cli-flush". Module
 * layer: "module-wake" (its own wake-up, a prompt it submitted), "module-prompt" (the
 * summary attached to a prompt that started a turn), "module-note" (held notes a turn carried). Each is
 * received once Claude Code took the prompt, or the turn started.
 */
export type DeliveryRoute = "max-batch-size" | "batch-window" | "flushParent" | "flushAll" | "flushDue" | "clear" | "rewake" | "stop" | "prompt-context" | "in-turn-context" | "tool-result-context" | "summarize" | "native-in-turn" | "native-pending" | "native-out-of-band" | "native-seen" | "native-aside" | "read-by-parent" | "module-wake" | "module-prompt" | "module-note" | "cli-flush" | `session-${string}`;
export interface Delivery {
    batchId: string;
    parentSessionId: string;
    tasks: BackgroundTask[];
    counts: BatchCounts;
    stillRunning: number;
    allComplete: boolean;
    via: DeliveryRoute;
    text: string;
}
