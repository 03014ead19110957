import type { TranscriptCosts } from "../core/savings.js";
/**
 * The texts among `needles` that a `"type":"user"` entry or a `hook_additional_context` attachment of
 * the transcript's tail holds; undefined when it cannot be read. Only such an entry is part of the
 * conversation the model is (or, on a resume, will be) sent: the wake-up's echo is also logged as a
 * queued prompt before that, and Claude Code may exit between the two (measured: the echo's hook ran,
 * then stdin's end stopped the turn).
 */
export declare function transcriptMentions(path: unknown, needles: readonly string[]): Set<string> | undefined;
/**
 * Of these prompts (`prompt_id`s), those whose user entry the model was given in a request that was
 * answered: an assistant entry descends from it (`parentUuid`), so the request that entry answers
 * carried it. (An `api-request` entry written after it is no proof: the file's order is not the
 * request's, and counting on it once left a notice that no request carried without its wake-up.)
 * `answeredPrompt` names a turn known to be answered (the Stop hook runs once its reply is in, before
 * Claude Code writes that reply): the entries that came before the turn's prompt in its chain stood in
 * the conversation its request carried. Undefined when the transcript cannot be read. Only entries
 * from the first of these prompts on are parsed.
 */
export declare function repliedPrompts(path: unknown, promptIds: readonly string[], answeredPrompt?: string): Set<string> | undefined;
/**
 * Of these texts, those that a user entry or a hook's context attachment holds which the model answered
 * (an assistant entry descends from it): a wake-up whose request went out and came back, carrying
 * whatever was held before it.
 * Undefined when the transcript cannot be read.
 */
export declare function answeredMentions(path: unknown, needles: readonly string[]): Set<string> | undefined;
/**
 * The notice text Claude Code queued for each of these tasks, from the tail's `queue-operation` enqueue
 * entries. A notice it tells the model itself, through no hook (a user's or an app's `stop_task`: a
 * "killed" notice), is written there at once, long before any request carries it. Undefined when the
 * transcript cannot be read.
 */
export declare function queuedNotices(path: unknown, taskIds: readonly string[]): Map<string, string> | undefined;
/**
 * What each request of the session's main conversation sent (its answer's `usage`: input, cache-read and
 * cache-creation tokens; one per message, however many entries Claude Code splits it into), and how long
 * each turn ran (its prompt's first entry to its last answer). Undefined when it cannot be read.
 */
export declare function transcriptCosts(path: unknown): TranscriptCosts | undefined;
/**
 * The Claude Code version that wrote the transcript's newest entry (every entry names it, top-level
 * `version`); undefined when the file cannot be read or no whole entry of the tail's last MB names one.
 */
export declare function transcriptVersion(path: unknown): string | undefined;
