// Spawned by the signal test: reads in a tight loop of awaited calls until SIGTERM, which it
// handles by printing how many calls it made and exiting. Prints "reading" once the loop runs.
import { createSqliteStateStore } from '../../dist/index.js';

const [filename] = process.argv.slice(2);
const store = await createSqliteStateStore({ filename });
const event = { faultId: 'r-f', receivedAt: new Date(), subscriptionId: 's', cluster: 'r', faultType: 'OOMKilled', severity: 'high', context: '', timestamp: '' };
await store.createIncident({ ...event, incidentId: 'r', status: 'pending', createdAt: new Date() }, event);
let calls = 0;
process.on('SIGTERM', () => {
  process.stdout.write(`terminated after ${calls} calls\n`);
  process.exit(0);
});
process.stdout.write('reading\n');
for (;;) {
  await store.getIncident('r');
  calls += 1;
}
