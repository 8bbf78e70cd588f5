/**
 * Builds the `daxsim view` browser app into dist/web/: one app.js (ES module, no chunks, no
 * preload helpers) and one app.css, names without hashes, so src/view can serve them as known
 * assets or inline them into a self-contained export.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  // Production JSX whatever NODE_ENV says (vitest's global setup runs this build with NODE_ENV=test).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  build: {
    outDir: join(here, '../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    cssCodeSplit: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: join(here, 'src/main.tsx'),
      output: { entryFileNames: 'app.js', assetFileNames: 'app[extname]', codeSplitting: false },
    },
  },
});
