ALTER TABLE triage_reports
    ALTER COLUMN report_id TYPE text COLLATE "default",
    ALTER COLUMN incident_id TYPE text COLLATE "default",
    ALTER COLUMN execution_id TYPE text COLLATE "default";
ALTER TABLE agent_executions
    ALTER COLUMN execution_id TYPE text COLLATE "default",
    ALTER COLUMN incident_id TYPE text COLLATE "default";
ALTER TABLE incidents
    ALTER COLUMN incident_id TYPE text COLLATE "default",
    ALTER COLUMN fault_id TYPE text COLLATE "default";
ALTER TABLE fault_events ALTER COLUMN fault_id TYPE text COLLATE "default";
