import lockfile from "proper-lockfile";
console.log(typeof lockfile);
