import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// The dev proxy target lets `vite` (dev server) talk to a locally running `wachtpost serve`.
const apiTarget = process.env.WACHTPOST_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    // Vendor code in its own chunks changes less often than the app, so browsers keep it cached.
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          if (id.includes('node_modules/@mantine/')) return 'mantine';
          if (id.includes('node_modules/@tanstack/')) return 'tanstack';
          return 'vendor';
        },
      },
    },
  },
  server: {
    proxy: {
      // ws: the secure chat's WebSocket goes through the same proxy.
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
    },
  },
});
