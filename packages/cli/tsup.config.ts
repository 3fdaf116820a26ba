import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bin: 'src/bin.ts', index: 'src/index.ts' },
  format: ['esm'],
  target: 'node20',
  // Declarations only for the library entry; bin.js is an executable, not an import target.
  // bin.js gets its `#!/usr/bin/env node` line from the first line of src/bin.ts (tsup keeps it and
  // marks the file executable); a `banner` would add it to index.js too, and twice to bin.js.
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
  // The SDK packages are dependencies, loaded from node_modules at run time, never bundled.
  external: [/^@nightcrier\//],
});
