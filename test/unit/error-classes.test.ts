/**
 * Keeps src/error-classes.md, the index of error classes, true: every class in src/ that extends
 * an error is listed with its module and base class, and nothing else is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../../tools/dev-stack/root';

const CLASS = /^(?:export )?class (\w+) extends (\w+)/gm;
const ROW = /^\| `(\w+)` +\| `([\w/.-]+)` +\| `(\w+)` +\|/gm;

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function declaredErrorClasses(): string[] {
  return listSourceFiles(join(ROOT, 'src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(CLASS)]
      .filter(
        ([, name, base]) => name?.endsWith('Error') === true || base?.endsWith('Error') === true,
      )
      .map(([, name, base]) => `${name ?? ''} ${relative(ROOT, file)} ${base ?? ''}`),
  );
}

function indexedErrorClasses(): string[] {
  const index = readFileSync(join(ROOT, 'src', 'error-classes.md'), 'utf8');
  return [...index.matchAll(ROW)].map(
    ([, name, file, base]) => `${name ?? ''} ${file ?? ''} ${base ?? ''}`,
  );
}

describe('src/error-classes.md', () => {
  it('lists every error class in src/ with its module and base class, and no other', () => {
    const declared = declaredErrorClasses().sort();
    expect(declared.length).toBeGreaterThan(10);
    expect(indexedErrorClasses().sort()).toEqual(declared);
  });
});
