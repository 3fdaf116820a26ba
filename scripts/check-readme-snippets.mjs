// Type-checks every ```ts block of the READMEs as pasted, so that no example drifts from the API.
//
//   node scripts/check-readme-snippets.mjs      (after `pnpm build`: snippets import the built packages)
//
// Each block becomes its own module. Blocks may use the names the README's earlier sections define
// (`store`, `incident`, `event`, an incident `id`), declared once in GLOBALS below; anything else a
// block uses it must define itself. A block preceded by `<!-- snippet: not compiled (why) -->` is
// skipped (an adapter author's example importing files of their own package) and listed. The modules are written under node_modules/.cache so that they resolve the
// workspace's packages exactly as an application would.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'node_modules', '.cache', 'readme-snippets');
const READMES = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'packages')).map((name) => join(ROOT, 'packages', name, 'README.md'))].filter(existsSync);
const SKIP_MARKER = '<!-- snippet: not compiled';
const GLOBALS = `import type { FaultEvent, Incident, StateStore } from '@nightcrier/storage-core';
declare global {
  /** The store opened in the README's Setup section. */
  const store: StateStore;
  /** The incident and the event of "Creating an incident". */
  const incident: Incident;
  const event: FaultEvent;
  /** An incident id, as in the README's examples. */
  const id: string;
}
export {};
`;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'globals.d.ts'), GLOBALS);
const files = [];
const skipped = [];
for (const readme of READMES) {
  const text = readFileSync(readme, 'utf8');
  const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)];
  blocks.forEach((block, index) => {
    const line = text.slice(0, block.index).split('\n').length + 1;
    const name = `${relative(ROOT, readme).replaceAll(/[/.]/g, '_')}_line${line}_${index}.ts`;
    if (text.slice(0, block.index).trimEnd().split('\n').at(-1).startsWith(SKIP_MARKER)) {
      skipped.push(`${relative(ROOT, readme)}:${line}`);
      return;
    }
    writeFileSync(join(OUT, name), `${block[1]}\nexport {};\n`);
    files.push(name);
  });
}
writeFileSync(
  join(OUT, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', lib: ['es2022'], module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] },
    files: ['globals.d.ts', ...files],
  }),
);
writeFileSync(join(OUT, 'package.json'), '{ "type": "module" }\n');
try {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(OUT, 'tsconfig.json')], { stdio: 'inherit' });
} catch {
  console.error(`README snippets: some do not compile (files in ${relative(ROOT, OUT)}, named after README and line)`);
  process.exit(1);
}
console.log(`README snippets: ${files.length} blocks from ${READMES.length} READMEs compile; not compiled, as marked: ${skipped.join(', ') || 'none'}`);
