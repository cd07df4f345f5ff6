import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `vite --config web/vite.config.ts` from anywhere: paths are relative to this file, not the cwd.
const webRoot = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: webRoot,
  envDir: webRoot,
  // No React plugin (its Babel peer conflicts here): Oxc compiles the JSX with the automatic
  // runtime. No Fast Refresh, so an edit reloads the page.
  oxc: { jsx: { runtime: 'automatic' } },
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
  build: { outDir: 'dist', emptyOutDir: true },
});
