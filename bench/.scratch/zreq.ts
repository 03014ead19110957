const z = require("zod/mini");
console.log(typeof z.string);
