-- listAgentExecutions and listTriageReports order by time, then id: with the id in the index too,
-- both read their rows in order straight from the index instead of sorting them. The new index is
-- made before the old one goes: a foreign key needs an index on incident_id at every moment.
CREATE INDEX idx_agent_executions_incident_order ON agent_executions (incident_id, started_at, execution_id);
DROP INDEX idx_agent_executions_incident_id ON agent_executions;
ALTER TABLE agent_executions RENAME INDEX idx_agent_executions_incident_order TO idx_agent_executions_incident_id;
CREATE INDEX idx_triage_reports_incident_order ON triage_reports (incident_id, generated_at, report_id);
DROP INDEX idx_triage_reports_incident_id ON triage_reports;
ALTER TABLE triage_reports RENAME INDEX idx_triage_reports_incident_order TO idx_triage_reports_incident_id;
