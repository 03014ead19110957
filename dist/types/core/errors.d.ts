export type BgNotifyErrorCode = "ELOCKED" | "ECOMPROMISED" | "ESTATE" | "EINPUT" | "ETRANSITION" | "ENOTASK";
export declare class BgNotifyError extends Error {
    readonly code: BgNotifyErrorCode;
    constructor(code: BgNotifyErrorCode, message: string, options?: {
        cause?: unknown;
    });
}
export declare function isBgNotifyError(error: unknown, code?: BgNotifyErrorCode): error is BgNotifyError;
/** One printable line for any thrown value: never a stack trace. */
export declare function describeError(error: unknown): string;
