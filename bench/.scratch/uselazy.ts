import * as z from "zod/mini";
const t0 = performance.now();
let s: ReturnType<typeof z.string> | undefined;
console.log("before zod", (performance.now() - t0).toFixed(2));
s = z.string();
console.log("after zod", (performance.now() - t0).toFixed(2), s.safeParse("x").success, z.enum(["a"]).safeParse("a").success);
