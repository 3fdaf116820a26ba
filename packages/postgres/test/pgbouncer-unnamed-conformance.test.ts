import { describeConformanceThroughPgBouncer } from './support/pgbouncer-conformance.js';

// A pooler that cannot track prepared statements (max_prepared_statements = 0, as PgBouncer < 1.21
// behaves): the store needs prepared_statements=false, and then passes the same suite.
describeConformanceThroughPgBouncer('postgres through PgBouncer without prepared statements (prepared_statements=false)', 0, {
  prepared_statements: 'false',
});
