#!/usr/bin/env bash
# Lints what would be published: publint on each package, and @arethetypeswrong/cli on its packed
# tarball (default profile: ESM and CommonJS consumers, every resolution mode). Run after `pnpm build`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PACKS=$(mktemp -d)
trap 'rm -rf "$PACKS"' EXIT
# Every folder under packages/ is a published package.
for package in "$ROOT"/packages/*/; do
  (cd "$package" && pnpm exec publint --strict . && pnpm pack --pack-destination "$PACKS" >/dev/null)
done
for tarball in "$PACKS"/*.tgz; do
  pnpm exec attw "$tarball" --format table-flipped
done
echo "packages: ok"
