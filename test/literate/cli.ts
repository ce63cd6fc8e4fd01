// `npm run spec -- docs/a.md [more.md]`: runs literate spec files and reports each as ok or with its failure.
import { SpecError } from './parse.ts';
import { runSpecFile } from './run.ts';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npm run spec -- path/to/file.md [more.md ...]');
  process.exit(2);
}

let failures = 0;
// One after another: every file gets a fresh app, and the output stays in the order given.
for (const file of files) {
  try {
    const { file: shown, requests } = await runSpecFile(file);
    console.log(`ok ${shown} (${requests} ${requests === 1 ? 'request' : 'requests'})`);
  } catch (error) {
    failures++;
    // A SpecError starts with file:line, as a compiler's would; anything else (a crash) needs its stack.
    console.error(error instanceof SpecError ? `${error.message}\n` : error);
  }
}
// Exit explicitly: a failed run may leave the hash worker or timers behind, and the result is known.
process.exit(failures > 0 ? 1 : 0);
