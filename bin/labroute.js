#!/usr/bin/env node
// The `labroute` command (package.json "bin"): runs the built CLI.
import('../dist/src/cli/main.js')
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`labroute: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
