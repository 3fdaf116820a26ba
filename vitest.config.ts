import { defineConfig } from 'vitest/config';

// CI sets VITEST_JSON_REPORT to a file path to get a machine-readable report beside the usual output.
const jsonReport = process.env['VITEST_JSON_REPORT'];

export default defineConfig({
  test: {
    // Tests spawn processes, start servers and write megabytes on two shared cores: give them room.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    ...(jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {}),
    projects: [
      { extends: true, test: { name: 'core', include: ['packages/core/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'sqlite', include: ['packages/sqlite/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'cli', include: ['packages/cli/test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'mysql',
          include: ['packages/mysql/test/**/*.test.ts'],
          globalSetup: ['packages/mysql/test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['packages/postgres/test/**/*.test.ts'],
          exclude: ['packages/postgres/test/citus/**'],
          globalSetup: ['packages/postgres/test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The PostgreSQL adapter on a Citus cluster of the run's own (issue 11).
          name: 'citus',
          include: ['packages/postgres/test/citus/**/*.test.ts'],
          globalSetup: ['packages/postgres/test/citus/support/citus-global-setup.ts'],
        },
      },
    ],
  },
});
