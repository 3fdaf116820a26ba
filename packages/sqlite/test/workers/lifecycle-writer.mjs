// Spawned by the multi-process tests: runs `count` incident lifecycles against one SQLite file and
// prints one JSON line with what it did. Each lifecycle holds a read-then-write transaction, the
// pattern that fails under several processes unless transactions begin IMMEDIATE.
import { createSqliteStateStore } from '../../dist/index.js';

const [filename, workerId, countText] = process.argv.slice(2);
const count = Number(countText);
const store = await createSqliteStateStore({ filename });
const errors = [];
let written = 0;
for (let i = 0; i < count; i += 1) {
  const id = `w${workerId}-${i}`;
  const event = {
    faultId: `fault-${id}`, receivedAt: new Date(), subscriptionId: 'sub', cluster: `cluster-${workerId}`,
    faultType: 'CrashLoopBackOff', severity: 'high', context: 'pod restarted', timestamp: new Date().toISOString(),
  };
  try {
    await store.createIncident({ ...event, incidentId: id, status: 'pending', createdAt: new Date() }, event);
    await store.transaction(async (tx) => {
      const incident = await tx.getIncident(id);
      await tx.updateIncidentStatus(incident.incidentId, 'investigating', new Date());
    });
    written += 1;
  } catch (error) {
    errors.push(`${error.code}: ${error.message}`);
  }
}
await store.close();
process.stdout.write(`${JSON.stringify({ workerId, written, errors: errors.slice(0, 5), errorCount: errors.length })}\n`);
