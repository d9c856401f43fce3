#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript engine, assignment definitions and
// reference solutions (all trusted code) load directly, then hands over to the CLI.
// Student code never goes through here: the sandbox compiles it with esbuild and runs it
// in a separate, permission-restricted process.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../grader/src/cli/main.ts');
process.exitCode = await main(process.argv);
