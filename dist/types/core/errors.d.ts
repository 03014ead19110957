export type BgNotifyErrorCode = "ELOCKED" | "ECOMPROMISED" | "ESTATE" | "EUNSAFE" | "EINPUT" | "ETRANSITION" | "ENOTASK";
export declare class BgNotifyError extends Error {
    readonly code: BgNotifyErrorCode;
    /** The path an EUNSAFE or ESTATE error is about, when there is one. */
    readonly path?: string;
    constructor(code: BgNotifyErrorCode, message: string, options?: {
        cause?: unknown;
        path?: string;
    });
}
export declare function isBgNotifyError(error: unknown, code?: BgNotifyErrorCode): error is BgNotifyError;
/** One printable line for any thrown value: never a stack trace. */
export declare function describeError(error: unknown): string;
