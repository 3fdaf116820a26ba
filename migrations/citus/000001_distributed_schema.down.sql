DROP TABLE IF EXISTS triage_report_owners;
DROP TABLE IF EXISTS triage_reports;
DROP TABLE IF EXISTS agent_execution_owners;
DROP TABLE IF EXISTS agent_executions;
DROP TABLE IF EXISTS incidents;
DROP TABLE IF EXISTS fault_events;
