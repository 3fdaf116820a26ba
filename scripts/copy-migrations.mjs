// Copies migrations/<dialect>/*.sql into the adapter package being built, so that the SQL ships
// inside its tarball. Run from the adapter's folder: node ../../scripts/copy-migrations.mjs sqlite
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dialect = process.argv[2];
if (!dialect) throw new Error('usage: copy-migrations.mjs <dialect>');
const source = fileURLToPath(new URL(`../migrations/${dialect}/`, import.meta.url));
const target = `${process.cwd()}/migrations`;
if (!process.cwd().includes('/packages/')) throw new Error('run copy-migrations.mjs from an adapter package folder');
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
cpSync(source, target, { recursive: true, filter: (path) => !path.includes('..') });
