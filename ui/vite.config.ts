// Vite build for the desktop UI: a static bundle in dist/ that the Tauri shell serves itself,
// so nothing is ever fetched from the network (see SPEC §7: CSP allows only the app).
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // Tauri expects a fixed port in dev and serves dist/ by relative paths in production.
  clearScreen: false,
  base: './',
  server: { port: 1420, strictPort: true, host: '127.0.0.1' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
