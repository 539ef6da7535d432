import { defineConfig } from 'vite';

// The API serves index.html at `/` and the hashed bundles under `/ui/assets/`,
// so the page references only same-origin files and the CSP can stay
// `script-src 'self'` (Vite emits no inline script for a plain module entry).
export default defineConfig({
  root: 'src',
  base: '/ui/',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Inlined assets would become data: URLs, which the CSP does not allow for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    // `npm run dev -w @clearance/web` next to `npm start`: the dev server forwards API calls.
    proxy: Object.fromEntries(
      ['/me', '/contributions', '/reviews', '/sboms', '/waivers', '/audit', '/tokens', '/ui/session', '/events', '/admin', '/healthz', '/readyz'].map((path) => [path, 'http://127.0.0.1:8080']),
    ),
  },
});
