/** Date#toISOString for 0000–9999 (Howard Hinnant's days-to-civil); anything else via Date. */
export declare function isoTime(ms: number): string;
