// bg-notify command line (placeholder until the CLI issue lands: prints version).
console.log("bg-notify 0.1.0");
