-- Ids sort bytewise, as SQLite sorts them, whatever collation the database was created with:
-- list order breaks createdAt ties by incidentId, and executions and reports break theirs by id.
ALTER TABLE fault_events ALTER COLUMN fault_id TYPE text COLLATE "C";
ALTER TABLE incidents
    ALTER COLUMN incident_id TYPE text COLLATE "C",
    ALTER COLUMN fault_id TYPE text COLLATE "C";
ALTER TABLE agent_executions
    ALTER COLUMN execution_id TYPE text COLLATE "C",
    ALTER COLUMN incident_id TYPE text COLLATE "C";
ALTER TABLE triage_reports
    ALTER COLUMN report_id TYPE text COLLATE "C",
    ALTER COLUMN incident_id TYPE text COLLATE "C",
    ALTER COLUMN execution_id TYPE text COLLATE "C";
