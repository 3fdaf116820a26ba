-- nightcrier state store, MySQL 8 / MariaDB 10.11+ dialect. InnoDB, utf8mb4.
--
-- Ids and every field a filter matches, an index holds or an order compares are VARBINARY(255):
-- they compare and sort bytewise, with no trailing-space padding (utf8mb4_bin pads: 'a' = 'a ',
-- and "a\t" sorts before "a"), the same on MySQL and MariaDB, as on SQLite and PostgreSQL. The
-- store writes well-formed UTF-8 only and decodes it back. 255 bytes: the SDK's key limit, and an
-- index key every engine takes. Free text is LONGTEXT utf8mb4_bin, instants DATETIME(3) in UTC
-- (the session runs at time_zone '+00:00'; the store supplies every time, nothing reads NOW()).
-- Each statement ends with `;` at the end of a line: the adapter sends them one by one (DDL is not
-- transactional here; the runner marks a migration dirty until its last statement succeeded).

CREATE TABLE fault_events (
    fault_id             VARBINARY(255) NOT NULL PRIMARY KEY CHECK (fault_id <> ''),
    received_at          DATETIME(3)    NOT NULL,
    subscription_id      VARBINARY(255) NOT NULL,
    cluster              VARBINARY(255) NOT NULL CHECK (cluster <> ''),
    resource_api_version VARBINARY(255),
    resource_kind        VARBINARY(255),
    resource_name        VARBINARY(255),
    resource_namespace   VARBINARY(255),
    resource_uid         VARBINARY(255),
    fault_type           VARBINARY(255) NOT NULL CHECK (fault_type <> ''),
    severity             VARBINARY(255) NOT NULL,
    context              LONGTEXT       NOT NULL,
    timestamp            VARBINARY(255) NOT NULL,
    INDEX idx_fault_events_cluster (cluster),
    INDEX idx_fault_events_received_at (received_at),
    INDEX idx_fault_events_fault_type (fault_type),
    INDEX idx_fault_events_severity (severity)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE incidents (
    incident_id          VARBINARY(255) NOT NULL PRIMARY KEY CHECK (incident_id <> ''),
    fault_id             VARBINARY(255) NOT NULL,
    status               VARBINARY(32)  NOT NULL
        CHECK (status IN ('pending', 'investigating', 'resolved', 'failed', 'agent_failed')),
    created_at           DATETIME(3)    NOT NULL,
    started_at           DATETIME(3),
    completed_at         DATETIME(3),
    exit_code            INT,
    failure_reason       LONGTEXT,
    cluster              VARBINARY(255) NOT NULL CHECK (cluster <> ''),
    namespace            VARBINARY(255),
    resource_api_version VARBINARY(255),
    resource_kind        VARBINARY(255),
    resource_name        VARBINARY(255),
    resource_namespace   VARBINARY(255),
    resource_uid         VARBINARY(255),
    fault_type           VARBINARY(255) NOT NULL CHECK (fault_type <> ''),
    severity             VARBINARY(255) NOT NULL,
    context              LONGTEXT       NOT NULL,
    timestamp            VARBINARY(255) NOT NULL,
    triggering_event_id  VARBINARY(255),
    -- List and keyset-page order is (created_at DESC, incident_id DESC); see the SQLite schema.
    INDEX idx_incidents_created_at (created_at DESC, incident_id DESC),
    INDEX idx_incidents_cluster_created_at (cluster, created_at DESC, incident_id DESC),
    INDEX idx_incidents_fault_id (fault_id),
    -- MariaDB sorts a namespace or single-status page read through a one-column index (measured at
    -- 20,000 rows); with the list order behind the column it walks the index instead.
    INDEX idx_incidents_status (status, created_at DESC, incident_id DESC),
    INDEX idx_incidents_namespace (namespace, created_at DESC, incident_id DESC),
    INDEX idx_incidents_fault_type (fault_type),
    INDEX idx_incidents_severity (severity),
    CONSTRAINT fk_incidents_fault FOREIGN KEY (fault_id) REFERENCES fault_events (fault_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE agent_executions (
    execution_id  VARBINARY(255) NOT NULL PRIMARY KEY CHECK (execution_id <> ''),
    incident_id   VARBINARY(255) NOT NULL,
    started_at    DATETIME(3)    NOT NULL,
    completed_at  DATETIME(3),
    exit_code     INT,
    error_message LONGTEXT,
    log_paths     JSON,
    INDEX idx_agent_executions_incident_id (incident_id, started_at),
    INDEX idx_agent_executions_started_at (started_at),
    CONSTRAINT fk_agent_executions_incident FOREIGN KEY (incident_id) REFERENCES incidents (incident_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE triage_reports (
    report_id       VARBINARY(255) NOT NULL PRIMARY KEY CHECK (report_id <> ''),
    incident_id     VARBINARY(255) NOT NULL,
    execution_id    VARBINARY(255) NOT NULL,
    generated_at    DATETIME(3)    NOT NULL,
    report_markdown LONGTEXT       NOT NULL,
    report_html     LONGTEXT,
    INDEX idx_triage_reports_incident_id (incident_id, generated_at),
    INDEX idx_triage_reports_execution_id (execution_id),
    INDEX idx_triage_reports_generated_at (generated_at),
    CONSTRAINT fk_triage_reports_incident FOREIGN KEY (incident_id) REFERENCES incidents (incident_id) ON DELETE CASCADE,
    CONSTRAINT fk_triage_reports_execution FOREIGN KEY (execution_id) REFERENCES agent_executions (execution_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
