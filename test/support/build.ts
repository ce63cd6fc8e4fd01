// Builds dist/ from the sources as they are now, once per mocha run, for the tests that run the build: the server processes they start, npm start, the package installed by another project.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/**
 * A global fixture (loaded through .mocharc's require): it runs in mocha's main process before any test
 * file, also when files run side by side in worker processes, so that no test reads dist/ while another
 * build writes it. Up to date, the build takes under a second.
 */
export function mochaGlobalSetup(): void {
  buildDist();
}

/** The build of the sources as they are now; scripts run outside mocha that start the server call it first. */
export function buildDist(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'pipe' });
}
