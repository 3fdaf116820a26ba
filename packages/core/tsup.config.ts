import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', adapter: 'src/adapter.ts', 'conformance/index': 'src/conformance/index.ts' },
  format: ['esm'],
  target: 'node20',
  dts: { compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
  // The built-in adapters are loaded on demand by the factory and are never bundled into core.
  external: ['@nightcrier/storage-sqlite', '@nightcrier/storage-postgres', '@nightcrier/storage-mysql', 'vitest', 'fast-check', '@opentelemetry/api'],
});
