// Spawned by the concurrent-migration test: migrates the given URL and prints the result.
import { runMigrations } from '@nightcrier/storage-core';

const [url] = process.argv.slice(2);
try {
  const result = await runMigrations(url);
  process.stdout.write(`${JSON.stringify({ ok: true, migrations: result.migrations })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: `${error.code}: ${error.message}` })}\n`);
}
