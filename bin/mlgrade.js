#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript engine, assignment definitions and
// reference solutions (all trusted code) load directly, then hands over to the CLI.
// Student code never goes through here: the sandbox compiles it with esbuild and runs it
// in a separate, permission-restricted process.
import { register } from 'tsx/esm/api';

register();
// Output piped into a reader that stops early (`mlgrade grade --help | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = await import('../grader/src/cli/main.ts');
process.exitCode = await main(process.argv);
