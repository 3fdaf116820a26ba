import { describeConformanceThroughPgBouncer } from './support/pgbouncer-conformance.js';

// PgBouncer ≥ 1.21 tracks prepared statements (max_prepared_statements = 200): the store as it is.
describeConformanceThroughPgBouncer('postgres through PgBouncer (transaction mode, prepared statements)', 200);
