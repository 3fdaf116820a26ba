DROP INDEX IF EXISTS idx_agent_executions_incident_id;
CREATE INDEX idx_agent_executions_incident_id ON agent_executions (incident_id, started_at);
DROP INDEX IF EXISTS idx_triage_reports_incident_id;
CREATE INDEX idx_triage_reports_incident_id ON triage_reports (incident_id, generated_at);
