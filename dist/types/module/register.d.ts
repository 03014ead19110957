type Next<E, R> = ((e: E) => Promise<R>) & {
    called?: boolean;
};
type Engine = any;
type Hook<E, R> = ($: Engine, e: E, next: Next<E, R>) => Promise<R>;
interface Registration {
    catch(handler: Hook<any, any>): unknown;
}
type On = {
    <E, R>(event: string, hook: Hook<E, R>): Registration;
    <E, R>(event: string, matcher: Record<string, unknown>, hook: Hook<E, R>): Registration;
};
export declare function register(on: On): void;
export {};
