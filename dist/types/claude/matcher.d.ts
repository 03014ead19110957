export declare function matcherAccepts(event: string, matcher: string | undefined, input: Readonly<Record<string, unknown>>): boolean;
