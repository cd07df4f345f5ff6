import { join } from 'node:path';

/** The repository's root folder, for every helper, script, bench and test that reads a file in it. */
export const ROOT = join(__dirname, '..', '..');
