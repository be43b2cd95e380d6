#!/usr/bin/env node
// The CLI entry point runs the compiled server (npm install builds it through "prepare").
import { main } from '../dist/server/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
