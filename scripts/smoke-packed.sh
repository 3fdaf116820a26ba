#!/usr/bin/env bash
# Packs every publishable package, installs the tarballs with npm into an empty folder outside the
# repository, and runs the README quick start there: a store through createStateStore and the CLI
# demo. Proves the tarballs are complete (migrations included) without any file from the repository.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tarballs" "$WORK/project"

for package in core sqlite cli ${SMOKE_EXTRA_PACKAGES:-}; do
  (cd "$ROOT/packages/$package" && pnpm pack --pack-destination "$WORK/tarballs" >/dev/null)
done
ls "$WORK/tarballs"

cd "$WORK/project"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund "$WORK"/tarballs/*.tgz >/dev/null

cat > quick-start.js <<'JS'
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
node quick-start.js "sqlite:./data/quick-start.db"
for url in ${SMOKE_EXTRA_URLS:-}; do node quick-start.js "$url"; done
npx --no-install nightcrier-storage --url sqlite:./data/demo.db demo --incidents 2
npx --no-install nightcrier-storage --url sqlite:./data/demo.db incidents list --limit 5
echo "packed tarballs: ok"
