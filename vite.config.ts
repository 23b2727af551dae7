import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Vite builds the dashboard (src/web) into dist/web, which the server serves at `/`. */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web/', import.meta.url)),
  base: '/',
  plugins: [react()],
  // The repository's .env files (if any) are the server's, never the browser bundle's.
  envDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
  },
  server: {
    // `vite` (dev) forwards the API to a running `npm start` so the dashboard can hot-reload.
    proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } },
  },
});
