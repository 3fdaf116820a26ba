export type MigrationDirection = 'up' | 'down';

export interface MigrationOptions {
  /** Default `up`. */
  direction?: MigrationDirection;
  /** How many migrations to apply or revert; default: every pending one up, one down. */
  steps?: number;
}

export interface MigrationResult {
  direction: MigrationDirection;
  /** Names (`000001_initial_schema`) applied or reverted by this call, in the order it ran them. */
  migrations: string[];
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** One numbered migration with its up and down SQL. */
export interface MigrationFile {
  version: number;
  name: string;
  up: string;
  down: string;
}
