// Spawned by the several-stores test: opens `stores` stores on one file at once in this process,
// writes one incident through each, and prints one JSON line with how many opened and wrote.
import { createSqliteStateStore } from '../../dist/index.js';

const [filename, workerId, storesText] = process.argv.slice(2);
const results = await Promise.allSettled(
  Array.from({ length: Number(storesText) }, async (_, index) => {
    const store = await createSqliteStateStore({ filename });
    try {
      const id = `open-${workerId}-${index}`;
      const event = {
        faultId: `${id}-f`, receivedAt: new Date(), subscriptionId: 'sub', cluster: 'openers',
        faultType: 'OOMKilled', severity: 'high', context: '', timestamp: '',
      };
      await store.createIncident({ ...event, incidentId: id, status: 'pending', createdAt: new Date() }, event);
    } finally {
      await store.close();
    }
  }),
);
const errors = results.filter((result) => result.status === 'rejected').map((result) => String(result.reason?.message ?? result.reason));
process.stdout.write(`${JSON.stringify({ workerId, ok: results.length - errors.length, errors })}\n`);
