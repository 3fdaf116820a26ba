// Lets CommonJS consumers `require()` a package that ships one ES-module build. Run after tsup:
//
//   node ../../scripts/write-require-entries.mjs     (from a package folder)
//
// For each entry of the package's exports map it writes dist/<entry>.cjs, which re-exports the ES
// module through Node's require(esm) (Node >= 20.19, our engines floor; our dist has no top-level
// await, which require(esm) refuses). One runtime copy serves both kinds of consumers, so there is
// no dual-package hazard: `instanceof` on our errors and core's adapter registry are the same
// objects whether the application imports or requires. A second, CommonJS build would duplicate
// both.
//
// TypeScript needs CommonJS-flavoured declarations for the `require` condition (under `node16` a
// CommonJS file may not import ESM declarations, TS1479): every dist/**/*.d.ts is copied to .d.cts
// with its relative `./x.js` specifiers pointing at the `./x.cjs` twins.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE = process.cwd();
const DIST = join(PACKAGE, 'dist');
const RELATIVE_JS_SPECIFIER = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\.js\2/g;

function declarationFiles(folder) {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return declarationFiles(path);
    return path.endsWith('.d.ts') ? [path] : [];
  });
}

for (const file of declarationFiles(DIST)) {
  const text = readFileSync(file, 'utf8').replace(RELATIVE_JS_SPECIFIER, '$1$2$3.cjs$2');
  writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text);
}

const { exports } = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
for (const [subpath, conditions] of Object.entries(exports)) {
  if (typeof conditions === 'string') continue; // ./package.json
  const target = conditions.require?.default;
  const source = conditions.import?.default;
  if (target === undefined || source === undefined) throw new Error(`exports["${subpath}"] needs import.default and require.default`);
  const relativeSource = `./${source.split('/').at(-1)}`;
  writeFileSync(join(PACKAGE, target), `'use strict';\n// CommonJS entry: the ES module itself, through require(esm) (see scripts/write-require-entries.mjs).\nmodule.exports = require('${relativeSource}');\n`);
}
