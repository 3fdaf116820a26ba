-- nightcrier state store, SQLite dialect.
-- Timestamps are INTEGER milliseconds since the Unix epoch (UTC): they sort, compare and round-trip
-- exactly, and cost less to write than ISO text. Optional values are NULL, never ''.

CREATE TABLE fault_events (
    fault_id             TEXT    NOT NULL PRIMARY KEY CHECK (fault_id <> ''),
    received_at          INTEGER NOT NULL,
    subscription_id      TEXT    NOT NULL,
    cluster              TEXT    NOT NULL CHECK (cluster <> ''),
    resource_api_version TEXT,
    resource_kind        TEXT,
    resource_name        TEXT,
    resource_namespace   TEXT,
    resource_uid         TEXT,
    fault_type           TEXT    NOT NULL CHECK (fault_type <> ''),
    severity             TEXT    NOT NULL,
    context              TEXT    NOT NULL,
    timestamp            TEXT    NOT NULL
);

CREATE INDEX idx_fault_events_cluster ON fault_events (cluster);
CREATE INDEX idx_fault_events_received_at ON fault_events (received_at);
CREATE INDEX idx_fault_events_fault_type ON fault_events (fault_type);
CREATE INDEX idx_fault_events_severity ON fault_events (severity);

CREATE TABLE incidents (
    incident_id          TEXT    NOT NULL PRIMARY KEY CHECK (incident_id <> ''),
    fault_id             TEXT    NOT NULL REFERENCES fault_events (fault_id),
    status               TEXT    NOT NULL
        CHECK (status IN ('pending', 'investigating', 'resolved', 'failed', 'agent_failed')),
    created_at           INTEGER NOT NULL,
    started_at           INTEGER,
    completed_at         INTEGER,
    exit_code            INTEGER,
    failure_reason       TEXT,
    cluster              TEXT    NOT NULL CHECK (cluster <> ''),
    namespace            TEXT,
    resource_api_version TEXT,
    resource_kind        TEXT,
    resource_name        TEXT,
    resource_namespace   TEXT,
    resource_uid         TEXT,
    fault_type           TEXT    NOT NULL CHECK (fault_type <> ''),
    severity             TEXT    NOT NULL,
    context              TEXT    NOT NULL,
    timestamp            TEXT    NOT NULL,
    triggering_event_id  TEXT
);

-- List and keyset-page order is (created_at DESC, incident_id DESC). The first index serves
-- unfiltered pages, the cluster one serves the common per-cluster view straight from the index.
CREATE INDEX idx_incidents_created_at ON incidents (created_at DESC, incident_id DESC);
CREATE INDEX idx_incidents_cluster_created_at ON incidents (cluster, created_at DESC, incident_id DESC);
CREATE INDEX idx_incidents_fault_id ON incidents (fault_id);
CREATE INDEX idx_incidents_status ON incidents (status);
CREATE INDEX idx_incidents_namespace ON incidents (namespace);
CREATE INDEX idx_incidents_fault_type ON incidents (fault_type);
CREATE INDEX idx_incidents_severity ON incidents (severity);

CREATE TABLE agent_executions (
    execution_id  TEXT    NOT NULL PRIMARY KEY CHECK (execution_id <> ''),
    incident_id   TEXT    NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    started_at    INTEGER NOT NULL,
    completed_at  INTEGER,
    exit_code     INTEGER,
    error_message TEXT,
    log_paths     TEXT CHECK (log_paths IS NULL OR json_valid(log_paths))
);

CREATE INDEX idx_agent_executions_incident_id ON agent_executions (incident_id, started_at);
CREATE INDEX idx_agent_executions_started_at ON agent_executions (started_at);

CREATE TABLE triage_reports (
    report_id       TEXT    NOT NULL PRIMARY KEY CHECK (report_id <> ''),
    incident_id     TEXT    NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    execution_id    TEXT    NOT NULL REFERENCES agent_executions (execution_id) ON DELETE CASCADE,
    generated_at    INTEGER NOT NULL,
    report_markdown TEXT    NOT NULL,
    report_html     TEXT
);

CREATE INDEX idx_triage_reports_incident_id ON triage_reports (incident_id, generated_at);
CREATE INDEX idx_triage_reports_execution_id ON triage_reports (execution_id);
CREATE INDEX idx_triage_reports_generated_at ON triage_reports (generated_at);
