import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'app/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The app's stylesheets as text (`?raw`): ui/contrast.test.ts and ui/raw-colours.test.ts read them.
    css: { include: [/app\/src\/.+\.css/] },
  },
});
