import { build } from 'esbuild';
import { join } from 'node:path';

interface SharedOptions {
  exclude: string[];
  packager: string;
  skipRebuild: boolean;
  [option: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadConfig = require('../../esbuild.config.cjs') as () => SharedOptions;

/** Bundles one handler exactly as serverless-esbuild does for a deployment; returns the .js path. */
export async function bundleFunction(entry: string, outdir: string): Promise<string> {
  // `exclude`, `packager`, `outputWorkFolder` and `skipRebuild` are serverless-esbuild's own
  // options; the rest is esbuild's.
  const { exclude, packager, outputWorkFolder, skipRebuild, ...options } = loadConfig();
  const outfile = join(outdir, `${entry.replace(/^src\//, '').replace(/\.ts$/, '')}.js`);
  await build({
    ...options,
    entryPoints: [join(__dirname, '..', '..', entry)],
    outfile,
    external: exclude,
    logLevel: 'silent',
  });
  return outfile;
}
