export interface PromptOrigin {
    kind: string;
    name?: string;
}
export interface PromptSubmitEvent {
    text: string;
    origin: PromptOrigin;
    /** Set when the prompt was typed over, or delivered into, a running model turn. */
    turnId?: string;
    context?: readonly string[];
    wait: boolean;
}
export type PromptSubmitAnswer = {
    text: string;
    context?: readonly string[];
    origin?: PromptOrigin;
    drop?: undefined;
} | {
    drop: string;
    text?: undefined;
};
export interface AgentReportEvent {
    agentId: string;
    /** Absent for an agent of the main conversation. */
    parentAgentId?: string;
    subagentType: string;
    status: "completed" | "failed" | "stopped";
    text: string;
}
export type AgentReportAnswer = {
    text: string;
    warning?: string;
    consumed?: undefined;
} | {
    consumed: string;
    text?: undefined;
};
export interface TextBlock {
    type: "text";
    text: string;
}
/** A row the session keeps, as `session.append` carries it; fields this layer does not read pass as they came. */
export interface AppendEvent {
    message: {
        type: string;
        name?: string;
        content?: readonly unknown[];
        [field: string]: unknown;
    };
    origin?: PromptOrigin;
    [field: string]: unknown;
}
export interface SessionStartEvent {
    cwd: string;
}
/** A classic (settings) hook event: the command hook's stdin, whole. */
export type ClassicEvent = Record<string, unknown>;
export interface TimerHandle {
    cancel(): void;
}
