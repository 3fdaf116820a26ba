import { newIncidentFromEvent, type AgentExecution, type Incident, type StateStore, type TriageReport } from '@nightcrier/storage-core';
import { writeLine } from '../cli-io.js';
import type { Command, CommandContext } from '../command.js';
import { DEMO_SCENARIOS, type DemoScenario, demoFaultEvent, demoId, demoLogPaths, demoReportMarkdown } from '../demo-scenarios.js';
import { INCIDENT_HEADERS, incidentRow } from '../format-incident.js';
import { formatTable } from '../format-table.js';
import { lastValue } from '../parse-args.js';
import { parseInteger } from '../parse-values.js';
import { withStore } from '../with-store.js';

const DEFAULT_INCIDENTS = 3;
const MAX_INCIDENTS = 10_000;

interface StoredIncident {
  incident: Incident;
  executions: AgentExecution[];
  reports: TriageReport[];
}

/**
 * One incident's whole life, as nightcrier drives it: the fault arrives and becomes a pending
 * incident, the agent starts investigating, its execution is recorded when it starts and updated
 * when it ends, a successful run files a triage report, and the incident is completed with the
 * agent's exit code. Returns the incident id.
 */
async function runLifecycle(store: StateStore, scenario: DemoScenario): Promise<string> {
  const receivedAt = new Date();
  const event = demoFaultEvent(scenario, receivedAt);
  const incidentId = demoId('inc');
  await store.createIncident({ ...newIncidentFromEvent(incidentId, event, receivedAt), status: 'pending' }, event);

  const startedAt = new Date();
  await store.updateIncidentStatus(incidentId, 'investigating', startedAt);
  const executionId = demoId('exec');
  await store.recordAgentExecution({ executionId, incidentId, startedAt });

  const completedAt = new Date();
  const logPaths = demoLogPaths(incidentId, executionId);
  const { agent } = scenario;
  if (agent.outcome === 'resolved') {
    await store.recordAgentExecution({ executionId, incidentId, startedAt, completedAt, exitCode: 0, logPaths });
    await store.recordTriageReport({
      reportId: demoId('rep'),
      incidentId,
      executionId,
      generatedAt: completedAt,
      reportMarkdown: demoReportMarkdown(incidentId, event, agent),
    });
    await store.completeIncident(incidentId, 0);
  } else {
    await store.recordAgentExecution({
      executionId,
      incidentId,
      startedAt,
      completedAt,
      exitCode: agent.exitCode,
      errorMessage: agent.errorMessage,
      logPaths,
    });
    await store.completeIncident(incidentId, agent.exitCode, agent.errorMessage);
  }
  return incidentId;
}

async function readBack(store: StateStore, incidentId: string): Promise<StoredIncident> {
  return {
    incident: await store.getIncident(incidentId),
    executions: await store.listAgentExecutions(incidentId),
    reports: await store.listTriageReports(incidentId),
  };
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${count} ${value}`).join(', ');
}

export const demoCommand: Command = {
  name: 'demo',
  synopsis: '[--incidents N] [--json]',
  summary: 'run the whole incident lifecycle N times with realistic data and print what was stored',
  details: [
    `--incidents N   how many incidents to simulate (default ${DEFAULT_INCIDENTS}, at most ${MAX_INCIDENTS})`,
    '--json          print {"incident", "executions", "reports"} per incident, one JSON object per line',
    'Every run adds new incidents with fresh ids; nothing already stored is changed.',
  ],
  flags: ['incidents', 'json'],
  operands: [],
  async run(context: CommandContext): Promise<void> {
    const raw = lastValue(context.args, 'incidents');
    const count = raw === undefined ? DEFAULT_INCIDENTS : parseInteger('incidents', raw, 1, MAX_INCIDENTS);

    const stored = await withStore(context, async (store) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) ids.push(await runLifecycle(store, DEMO_SCENARIOS[i % DEMO_SCENARIOS.length] as DemoScenario));
      const results: StoredIncident[] = [];
      for (const id of ids) results.push(await readBack(store, id));
      return results;
    });

    const { stdout } = context.io;
    if (context.json) {
      for (const entry of stored) writeLine(stdout, JSON.stringify(entry));
      return;
    }
    writeLine(stdout, `ran ${count} incident lifecycle${count === 1 ? '' : 's'} against ${context.displayUrl}; read back from the store:`);
    writeLine(stdout);
    const headers = [...INCIDENT_HEADERS, 'EXECUTIONS', 'REPORTS'];
    const rows = stored.map(({ incident, executions, reports }) => [...incidentRow(incident), executions.length, reports.length]);
    for (const line of formatTable(headers, rows)) writeLine(stdout, line);
    writeLine(stdout);
    const executions = stored.reduce((sum, entry) => sum + entry.executions.length, 0);
    const reports = stored.reduce((sum, entry) => sum + entry.reports.length, 0);
    writeLine(
      stdout,
      `stored ${stored.length} incidents (${countBy(stored.map((entry) => entry.incident.status))}), ` +
        `${executions} agent executions, ${reports} triage reports`,
    );
  },
};
