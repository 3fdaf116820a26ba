#!/usr/bin/env bash
# Packs every publishable package and installs the tarballs into projects outside the repository:
# the consumer matrix (scripts/smoke-consumers.sh: ESM, CommonJS, TypeScript under four module
# settings, Node 20 and 24, npm and pnpm), then, in its npm project on Node 20, the README quick
# start on every backend, an esbuild bundle and the CLI demo. Proves the tarballs are complete
# (migrations included) without any file from the repository.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tarballs"

# Every folder under packages/ is a published package.
for package in "$ROOT"/packages/*/; do
  (cd "$package" && pnpm pack --pack-destination "$WORK/tarballs" >/dev/null)
done
ls "$WORK/tarballs"

bash "$ROOT/scripts/smoke-consumers.sh" "$WORK/tarballs" "$WORK/consumers"
cd "$WORK/consumers/npm-node20"

cat > quick-start.mjs <<'JS'
import { createStateStore, newIncidentFromEvent, NotFoundError } from '@nightcrier/storage-core';

const url = process.argv[2];
const store = await createStateStore(url);
const event = {
  faultId: 'fault-smoke', receivedAt: new Date(), subscriptionId: 'sub', cluster: 'smoke',
  faultType: 'CrashLoopBackOff', severity: 'high', context: 'smoke test', timestamp: new Date().toISOString(),
};
const id = `incident-smoke-${Date.now()}`;
await store.createIncident(newIncidentFromEvent(id, event), event);
const stored = await store.getIncident(id);
if (stored.incidentId !== id) throw new Error('incident did not round-trip');
try { await store.getIncident('missing'); throw new Error('expected NotFoundError'); }
catch (error) { if (!(error instanceof NotFoundError)) throw error; }
await store.close();
console.log(`quick start ok on ${url.split(':')[0]}`);
JS
node quick-start.mjs "sqlite:./data/quick-start.db"

# A bundled application: esbuild puts the quick start, core, the SQLite adapter (migrations
# included, as module data) and kysely into one file; the adapters it does not use stay external,
# and so does better-sqlite3 (a native module cannot be bundled). Moved to a folder holding only
# better-sqlite3 and its two runtime dependencies, it must run with no file of ours beside it.
"$ROOT/node_modules/.bin/esbuild" quick-start.mjs --bundle --platform=node --format=esm --log-level=warning \
  --external:better-sqlite3 --external:@nightcrier/storage-postgres --external:@nightcrier/storage-mysql \
  --outfile="$WORK/bundled/app.mjs"
mkdir -p "$WORK/bundled/node_modules"
cp -R node_modules/better-sqlite3 node_modules/bindings node_modules/file-uri-to-path "$WORK/bundled/node_modules/"
(cd "$WORK/bundled" && ls && node app.mjs "sqlite:./data/bundled.db")
if [ -n "${SMOKE_POSTGRES_ADMIN_URL:-}" ]; then
  # A throwaway database on the given server, created and dropped with the pg the adapter brought.
  cat > scratch-db.cjs <<'JS'
const pg = require('pg');
const [action, adminUrl, name] = process.argv.slice(2);
const client = new pg.Client({ connectionString: adminUrl });
client.connect()
  .then(() => client.query(action === 'create' ? `create database "${name}"` : `drop database if exists "${name}" with (force)`))
  .then(() => client.end(), (error) => { console.error(error.message); process.exit(1); });
JS
  DB="nc_smoke_$$"
  node scratch-db.cjs create "$SMOKE_POSTGRES_ADMIN_URL" "$DB"
  PG_URL=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$SMOKE_POSTGRES_ADMIN_URL" "$DB")
  node quick-start.mjs "$PG_URL"
  npx --no-install nightcrier-storage --url "$PG_URL" demo --incidents 1 >/dev/null
  node scratch-db.cjs drop "$SMOKE_POSTGRES_ADMIN_URL" "$DB"
fi
if [ -n "${SMOKE_MYSQL_ADMIN_URL:-}" ]; then
  # A throwaway database on the given server, created and dropped with the mysql2 the adapter brought.
  cat > scratch-mysql-db.cjs <<'JS'
const mysql = require('mysql2/promise');
const [action, adminUrl, name] = process.argv.slice(2);
mysql.createConnection({ uri: adminUrl })
  .then(async (connection) => {
    await connection.query(action === 'create' ? `CREATE DATABASE \`${name}\`` : `DROP DATABASE IF EXISTS \`${name}\``);
    await connection.end();
  })
  .catch((error) => { console.error(error.message); process.exit(1); });
JS
  DB="nc_smoke_$$"
  node scratch-mysql-db.cjs create "$SMOKE_MYSQL_ADMIN_URL" "$DB"
  MYSQL_URL=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$SMOKE_MYSQL_ADMIN_URL" "$DB")
  node quick-start.mjs "$MYSQL_URL"
  npx --no-install nightcrier-storage --url "$MYSQL_URL" demo --incidents 1 >/dev/null
  npx --no-install nightcrier-storage --url "$MYSQL_URL" health
  node scratch-mysql-db.cjs drop "$SMOKE_MYSQL_ADMIN_URL" "$DB"
fi
npx --no-install nightcrier-storage --url sqlite:./data/demo.db demo --incidents 2
npx --no-install nightcrier-storage --url sqlite:./data/demo.db incidents list --limit 5
# --version reads the installed package.json: it must name the version that was packed.
EXPECTED_VERSION=$(node -p "require('./node_modules/@nightcrier/storage-cli/package.json').version")
test "$(npx --no-install nightcrier-storage --version)" = "nightcrier-storage $EXPECTED_VERSION"
# health on a mistyped path fails and leaves the path missing.
if npx --no-install nightcrier-storage --url sqlite:./data/typo/demo.db health 2>/dev/null; then exit 1; fi
test ! -e ./data/typo
echo "packed tarballs: ok"
