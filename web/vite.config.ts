import { defineConfig } from 'vitest/config';

// Preact through esbuild's automatic JSX runtime; no plug-in needed. The
// output folder is given by scripts/build-web (build/web/dist, next to the
// binary, where workbind looks by default).
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8090', ws: true } } },
  test: { include: ['test/**/*.test.ts'], environment: 'node' },
});
