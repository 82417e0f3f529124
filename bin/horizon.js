#!/usr/bin/env node
// Entry point of the `horizon` command: runs the built JavaScript in dist/ (`npm install` builds it, `npm run build`
// rebuilds it). A missing build, or one older than src/, is refused with the command that fixes it.
import { distProblem } from '../scripts/dist-state.js';

const problem = distProblem();
if (problem !== undefined) {
  process.stderr.write(`horizon: ${problem}: run "npm run build" first\n`);
  process.exit(70);
}
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
