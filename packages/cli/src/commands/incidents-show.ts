import { writeLine } from '../cli-io.js';
import type { Command, CommandContext } from '../command.js';
import {
  EXECUTION_HEADERS,
  REPORT_HEADERS,
  executionRow,
  incidentFields,
  reportRow,
} from '../format-incident.js';
import { displayCell, formatFields, formatTable } from '../format-table.js';
import { withStore } from '../with-store.js';

export const incidentsShowCommand: Command = {
  name: 'incidents show',
  synopsis: 'ID [--json]',
  summary: 'show one incident with its agent executions and triage reports',
  details: ['--json      print {"incident", "executions", "reports"} as one JSON object, dates as ISO strings'],
  flags: ['json'],
  operands: ['ID'],
  async run(context: CommandContext): Promise<void> {
    const incidentId = context.operands[0] as string;
    const { incident, executions, reports } = await withStore(context, 'read-only', async (store) => {
      const found = await store.getIncident(incidentId);
      return {
        incident: found,
        executions: await store.listAgentExecutions(incidentId),
        reports: await store.listTriageReports(incidentId),
      };
    });
    const { stdout } = context.io;
    if (context.json) {
      writeLine(stdout, JSON.stringify({ incident, executions, reports }));
      return;
    }

    for (const line of formatFields(incidentFields(incident))) writeLine(stdout, line);
    writeLine(stdout, 'context');
    for (const line of incident.context.split('\n')) writeLine(stdout, `  ${displayCell(line)}`.trimEnd());

    writeLine(stdout);
    writeLine(stdout, `agent executions (${executions.length})`);
    if (executions.length > 0) {
      for (const line of formatTable(EXECUTION_HEADERS, executions.map(executionRow))) writeLine(stdout, `  ${line}`);
      for (const execution of executions) {
        const logs = Object.entries(execution.logPaths ?? {});
        if (logs.length === 0) continue;
        writeLine(stdout, `  logs of ${displayCell(execution.executionId)}`);
        for (const line of formatFields(logs)) writeLine(stdout, `    ${line}`);
      }
    }

    writeLine(stdout);
    writeLine(stdout, `triage reports (${reports.length})`);
    if (reports.length > 0) {
      for (const line of formatTable(REPORT_HEADERS, reports.map(reportRow))) writeLine(stdout, `  ${line}`);
    }
    for (const report of reports) {
      writeLine(stdout);
      writeLine(stdout, `--- report ${displayCell(report.reportId)} (generated ${report.generatedAt.toISOString()}) ---`);
      stdout.write(report.reportMarkdown.endsWith('\n') ? report.reportMarkdown : `${report.reportMarkdown}\n`);
    }
  },
};
