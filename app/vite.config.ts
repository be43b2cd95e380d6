import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { AUDIENCES, SHELLS, shellFor } from '../shared/audiences.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** In `vite` (dev), an address starts its audience's page, as the server's fallback does. */
const audiencePages = (): Plugin => ({
  name: 'queuemed-audience-pages',
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      const [pathname = '/', query] = (req.url ?? '/').split('?', 2);
      const html = req.headers.accept?.includes('text/html');
      if (html && !path.extname(pathname) && !pathname.startsWith('/@')) {
        req.url = shellFor(pathname) + (query ? `?${query}` : '');
      }
      next();
    });
  },
});

export default defineConfig({
  root: here,
  plugins: [react(), audiencePages()],
  build: {
    outDir: path.join(here, '..', 'dist', 'app'),
    emptyOutDir: true,
    sourcemap: true,
    // One page per audience (shared/audiences.ts): each loads only its own screens.
    rolldownOptions: {
      input: Object.fromEntries(AUDIENCES.map((a) => [a, path.join(here, SHELLS[a])])),
    },
  },
  server: {
    proxy: {
      '/ws': { target: 'ws://localhost:8080', ws: true },
      '/api': 'http://localhost:8080',
    },
  },
});
