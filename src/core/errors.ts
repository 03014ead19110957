// The few typed errors bg-notify raises. Callers catch by `code` and rethrow the rest.

export type BgNotifyErrorCode =
  | "ELOCKED" // the state lock could not be taken within the retry budget
  | "ECOMPROMISED" // another process took our lock over mid-transaction
  | "ESTATE" // the state directory or file cannot be read or written
  | "EUNSAFE" // something under the state directory is not what bg-notify made (a link, another's file)
  | "EINPUT" // hook stdin or a CLI argument is not what we accept
  | "ETRANSITION" // a task state change the lifecycle forbids
  | "ENOTASK"; // no task with that id

export class BgNotifyError extends Error {
  readonly code: BgNotifyErrorCode;
  /** The path an EUNSAFE or ESTATE error is about, when there is one. */
  readonly path?: string;

  constructor(code: BgNotifyErrorCode, message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "BgNotifyError";
    this.code = code;
    if (options?.path !== undefined) this.path = options.path;
  }
}

export function isBgNotifyError(error: unknown, code?: BgNotifyErrorCode): error is BgNotifyError {
  return error instanceof BgNotifyError && (code === undefined || error.code === code);
}

/** One printable line for any thrown value: never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = error.message.replace(/\s+/g, " ").trim().slice(0, 300);
    return typeof code === "string" ? `${code}: ${text}` : text;
  }
  return String(error).replace(/\s+/g, " ").slice(0, 300);
}
