import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

// The editor evaluates everything in the page through the WebAssembly package that
// `scripts/build-pkg.sh` writes to `pkg/`; the alias lets the build pick up a fresh
// package without copying it, and Vite emits the .wasm next to the bundle.
export default defineConfig({
  root: here,
  base: './',
  resolve: {
    alias: {
      'stockroute-web': path.join(process.env.STOCKROUTE_PKG || path.join(repo, 'pkg'), 'web', 'index.js'),
    },
  },
  server: { fs: { allow: [repo] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
});
