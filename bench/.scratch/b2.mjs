import { build } from "esbuild";
const [entry, out, fmt="esm", minify="0"] = process.argv.slice(2);
await build({ entryPoints: [entry], bundle: true, platform: "node", format: fmt, target: "node20", minify: minify==="1", outfile: out, banner: fmt==="esm" ? { js: 'import { createRequire as __r } from "node:module"; const require = __r(import.meta.url);' } : {} });
