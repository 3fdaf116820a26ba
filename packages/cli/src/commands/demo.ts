import { newIncidentFromEvent, type AgentExecution, type Incident, type StateStore, type TriageReport } from '@nightcrier/storage-core';
import { writeLine } from '../cli-io.js';
import type { Command, CommandContext } from '../command.js';
import { DEMO_SCENARIOS, type DemoScenario, demoFaultEvent, demoId, demoLogPaths, demoReportMarkdown } from '../demo-scenarios.js';
import { INCIDENT_HEADERS, incidentRow } from '../format-incident.js';
import { formatTable } from '../format-table.js';
import { lastValue } from '../parse-args.js';
import { parseInteger } from '../parse-values.js';
import { startProgress } from '../progress.js';
import { withStore } from '../with-store.js';

const DEFAULT_INCIDENTS = 3;
const MAX_INCIDENTS = 10_000;
/** Incidents the table shows without `--verbose`: the newest few, enough to see what was stored. */
const SHOWN_INCIDENTS = 5;

/** What one lifecycle wrote, as the store acknowledged it. */
interface LifecycleResult {
  incidentId: string;
  status: 'resolved' | 'failed';
  executions: number;
  reports: number;
}

interface StoredIncident {
  incident: Incident;
  executions: AgentExecution[];
  reports: TriageReport[];
}

/**
 * One incident's whole life, as nightcrier drives it: the fault arrives and becomes a pending
 * incident, the agent starts investigating, its execution is recorded when it starts and updated
 * when it ends, a successful run files a triage report, and the incident is completed with the
 * agent's exit code.
 */
async function runLifecycle(store: StateStore, scenario: DemoScenario): Promise<LifecycleResult> {
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
    return { incidentId, status: 'resolved', executions: 1, reports: 1 };
  }
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
  return { incidentId, status: 'failed', executions: 1, reports: 0 };
}

async function readBack(store: StateStore, incidentId: string): Promise<StoredIncident> {
  return {
    incident: await store.getIncident(incidentId),
    executions: await store.listAgentExecutions(incidentId),
    reports: await store.listTriageReports(incidentId),
  };
}

/** Which of the `count` lifecycles' incidents are printed: all under --json or --verbose, else the last few. */
function shownCount(context: CommandContext, count: number): number {
  return context.json || context.verbose ? count : Math.min(count, SHOWN_INCIDENTS);
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
    `--verbose       print every incident stored, not only the last ${SHOWN_INCIDENTS} (and every SQL query on stderr)`,
    '--json          print {"incident", "executions", "reports"} per incident, one JSON object per line',
    'Applies pending migrations first. Every run adds new incidents with fresh ids; nothing already',
    'stored is changed. On a terminal a progress bar counts the lifecycles on stderr.',
  ],
  flags: ['incidents', 'json'],
  operands: [],
  async run(context: CommandContext): Promise<void> {
    const raw = lastValue(context.args, 'incidents');
    const count = raw === undefined ? DEFAULT_INCIDENTS : parseInteger('incidents', raw, 1, MAX_INCIDENTS);

    const { results, stored } = await withStore(context, 'read-write', async (store) => {
      const written: LifecycleResult[] = [];
      const progress = startProgress(context, 'demo', count);
      try {
        for (let i = 0; i < count; i += 1) {
          written.push(await runLifecycle(store, DEMO_SCENARIOS[i % DEMO_SCENARIOS.length] as DemoScenario));
          progress.tick();
        }
      } finally {
        progress.stop();
      }
      const shown: StoredIncident[] = [];
      for (const { incidentId } of written.slice(count - shownCount(context, count))) shown.push(await readBack(store, incidentId));
      return { results: written, stored: shown };
    });

    const { stdout } = context.io;
    if (context.json) {
      for (const entry of stored) writeLine(stdout, JSON.stringify(entry));
      return;
    }
    const which = stored.length === count ? '' : ` (the last ${stored.length}; --verbose for all)`;
    writeLine(stdout, `ran ${count} incident lifecycle${count === 1 ? '' : 's'} against ${context.displayUrl}; read back from the store${which}:`);
    writeLine(stdout);
    const headers = [...INCIDENT_HEADERS, 'EXECUTIONS', 'REPORTS'];
    const rows = stored.map(({ incident, executions, reports }) => [...incidentRow(incident), executions.length, reports.length]);
    for (const line of formatTable(headers, rows)) writeLine(stdout, line);
    writeLine(stdout);
    const executions = results.reduce((sum, result) => sum + result.executions, 0);
    const reports = results.reduce((sum, result) => sum + result.reports, 0);
    writeLine(
      stdout,
      `stored ${results.length} incidents (${countBy(results.map((result) => result.status))}), ` +
        `${executions} agent executions, ${reports} triage reports`,
    );
  },
};
