/**
 * The texts among `needles` that a `"type":"user"` entry or a `hook_additional_context` attachment of
 * the transcript's tail holds; undefined when it cannot be read. Only such an entry is part of the
 * conversation the model is (or, on a resume, will be) sent: the wake-up's echo is also logged as a
 * queued prompt before that, and Claude Code may exit between the two (measured: the echo's hook ran,
 * then stdin's end stopped the turn).
 */
export declare function transcriptMentions(path: unknown, needles: readonly string[]): Set<string> | undefined;
