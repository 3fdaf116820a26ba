-- nightcrier state store, Citus layout: the PostgreSQL schema with its tables distributed over the
-- worker nodes. Same tables and columns as migrations/postgres; what differs, and why:
--
--   table                   distributed by   co-located with   key
--   incidents               incident_id      (its own group)   incident_id
--   agent_executions        incident_id      incidents         (incident_id, execution_id)
--   triage_reports          incident_id      incidents         (incident_id, report_id)
--   fault_events            fault_id         none              fault_id
--   agent_execution_owners  execution_id     none              execution_id
--   triage_report_owners    report_id        none              report_id
--
-- Everything about one incident lives on one shard: reading or changing it is routed to one worker.
-- Citus needs every key to contain the distribution column, so executionId and reportId cannot be
-- keys of their own tables: the two owner tables hold each id once, with its incident, and the store
-- writes a record and its owner row in one statement (capability idUniqueness = 'owner-table').
-- Foreign keys stay where Citus can keep them (executions and reports → their incident, co-located);
-- the rest hold by construction: createIncident writes the fault event and the incident in one
-- statement, a report is inserted only when agent_execution_owners knows its execution, and the
-- store deletes nothing. Ids are COLLATE "C" from the start: a distribution column's type cannot
-- be changed later (migration 000003 of the PostgreSQL layout).

CREATE TABLE fault_events (
    fault_id             TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (fault_id <> ''),
    received_at          TIMESTAMPTZ NOT NULL,
    subscription_id      TEXT        NOT NULL,
    cluster              TEXT        NOT NULL CHECK (cluster <> ''),
    resource_api_version TEXT,
    resource_kind        TEXT,
    resource_name        TEXT,
    resource_namespace   TEXT,
    resource_uid         TEXT,
    fault_type           TEXT        NOT NULL CHECK (fault_type <> ''),
    severity             TEXT        NOT NULL,
    context              TEXT        NOT NULL,
    timestamp            TEXT        NOT NULL
);
SELECT create_distributed_table('fault_events', 'fault_id', colocate_with => 'none');

CREATE INDEX idx_fault_events_cluster ON fault_events (cluster);
CREATE INDEX idx_fault_events_received_at ON fault_events (received_at);
CREATE INDEX idx_fault_events_fault_type ON fault_events (fault_type);
CREATE INDEX idx_fault_events_severity ON fault_events (severity);

CREATE TABLE incidents (
    incident_id          TEXT COLLATE "C" NOT NULL PRIMARY KEY CHECK (incident_id <> ''),
    fault_id             TEXT COLLATE "C" NOT NULL,
    status               TEXT        NOT NULL
        CHECK (status IN ('pending', 'investigating', 'resolved', 'failed', 'agent_failed')),
    created_at           TIMESTAMPTZ NOT NULL,
    started_at           TIMESTAMPTZ,
    completed_at         TIMESTAMPTZ,
    exit_code            INTEGER,
    failure_reason       TEXT,
    cluster              TEXT        NOT NULL CHECK (cluster <> ''),
    namespace            TEXT,
    resource_api_version TEXT,
    resource_kind        TEXT,
    resource_name        TEXT,
    resource_namespace   TEXT,
    resource_uid         TEXT,
    fault_type           TEXT        NOT NULL CHECK (fault_type <> ''),
    severity             TEXT        NOT NULL,
    context              TEXT        NOT NULL,
    timestamp            TEXT        NOT NULL,
    triggering_event_id  TEXT
);
SELECT create_distributed_table('incidents', 'incident_id', colocate_with => 'none');

-- List and keyset-page order is (created_at DESC, incident_id DESC): each shard walks this index and
-- stops after the page, and the coordinator merges the shards' pages.
CREATE INDEX idx_incidents_created_at ON incidents (created_at DESC, incident_id DESC);
CREATE INDEX idx_incidents_cluster_created_at ON incidents (cluster, created_at DESC, incident_id DESC);
CREATE INDEX idx_incidents_fault_id ON incidents (fault_id);
CREATE INDEX idx_incidents_status ON incidents (status);
CREATE INDEX idx_incidents_namespace ON incidents (namespace);
CREATE INDEX idx_incidents_fault_type ON incidents (fault_type);
CREATE INDEX idx_incidents_severity ON incidents (severity);

CREATE TABLE agent_executions (
    execution_id  TEXT COLLATE "C" NOT NULL CHECK (execution_id <> ''),
    incident_id   TEXT COLLATE "C" NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    started_at    TIMESTAMPTZ NOT NULL,
    completed_at  TIMESTAMPTZ,
    exit_code     INTEGER,
    error_message TEXT,
    log_paths     JSONB,
    PRIMARY KEY (incident_id, execution_id)
);
SELECT create_distributed_table('agent_executions', 'incident_id', colocate_with => 'incidents');

CREATE INDEX idx_agent_executions_incident_id ON agent_executions (incident_id, started_at);
CREATE INDEX idx_agent_executions_started_at ON agent_executions (started_at);

CREATE TABLE agent_execution_owners (
    execution_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    incident_id  TEXT COLLATE "C" NOT NULL
);
SELECT create_distributed_table('agent_execution_owners', 'execution_id', colocate_with => 'none');

CREATE TABLE triage_reports (
    report_id       TEXT COLLATE "C" NOT NULL CHECK (report_id <> ''),
    incident_id     TEXT COLLATE "C" NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    execution_id    TEXT COLLATE "C" NOT NULL,
    generated_at    TIMESTAMPTZ NOT NULL,
    report_markdown TEXT        NOT NULL,
    report_html     TEXT,
    PRIMARY KEY (incident_id, report_id)
);
SELECT create_distributed_table('triage_reports', 'incident_id', colocate_with => 'incidents');

CREATE INDEX idx_triage_reports_incident_id ON triage_reports (incident_id, generated_at);
CREATE INDEX idx_triage_reports_execution_id ON triage_reports (execution_id);
CREATE INDEX idx_triage_reports_generated_at ON triage_reports (generated_at);

CREATE TABLE triage_report_owners (
    report_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    incident_id TEXT COLLATE "C" NOT NULL
);
SELECT create_distributed_table('triage_report_owners', 'report_id', colocate_with => 'none');
