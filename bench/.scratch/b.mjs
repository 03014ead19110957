import { build } from "esbuild";
const names = process.argv.slice(2);
for (const n of names) await build({ entryPoints: [`/work/main/bench/.scratch/${n}.ts`], bundle: true, platform: "node", format: "esm", target: "node20", minify: true, outfile: `/tmp/pb/${n}.mjs`, banner: { js: 'import { createRequire as __r } from "node:module"; const require = __r(import.meta.url);' } });
