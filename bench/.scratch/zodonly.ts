const t0 = performance.now();
import("zod/mini").then((z) => { const t1 = performance.now(); const s = z.looseObject({ a: z.string() }); const t2 = performance.now(); s.safeParse({a:"x"}); const t3 = performance.now(); require("node:fs").writeSync(2, `load=${(t1-t0).toFixed(2)} schema=${(t2-t1).toFixed(2)} parse=${(t3-t2).toFixed(2)}\n`); });
