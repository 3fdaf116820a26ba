// Spawned by the crash test: writes incidents one after another and prints each id only after the
// store acknowledged it, until the parent kills the process with SIGKILL.
import { createSqliteStateStore } from '../../dist/index.js';

const [filename, prefix] = process.argv.slice(2);
const store = await createSqliteStateStore({ filename });
process.stdout.write('ready\n');
for (let i = 0; ; i += 1) {
  const id = `${prefix}-${i}`;
  const event = {
    faultId: `fault-${id}`, receivedAt: new Date(), subscriptionId: 'sub', cluster: 'crash',
    faultType: 'OOMKilled', severity: 'critical', context: 'x'.repeat(2000), timestamp: '2026-01-01T00:00:00Z',
  };
  await store.createIncident({ ...event, incidentId: id, status: 'investigating', createdAt: new Date() }, event);
  process.stdout.write(`${id}\n`);
}
