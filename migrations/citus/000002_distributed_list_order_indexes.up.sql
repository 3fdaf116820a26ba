-- listAgentExecutions and listTriageReports order by time, then id: with the id in the index too,
-- both read their rows in order straight from the index instead of sorting them.
DROP INDEX IF EXISTS idx_agent_executions_incident_id;
CREATE INDEX idx_agent_executions_incident_id ON agent_executions (incident_id, started_at, execution_id);
DROP INDEX IF EXISTS idx_triage_reports_incident_id;
CREATE INDEX idx_triage_reports_incident_id ON triage_reports (incident_id, generated_at, report_id);
