#!/usr/bin/env node
// The `adhocracy-ts` command (package.json "bin"): runs the compiled command line, which `npm run build` makes.
import '../dist/src/cli.js';
