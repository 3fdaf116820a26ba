import { sql } from 'drizzle-orm';
import { rowMappers } from '../raw/raw-rows.js';
import { peerRows } from './peer-rows.js';

// What both Drizzle dialects share: their column modes (pg timestamptz `date` and jsonb; SQLite
// `timestamp_ms` and `json` text) hand Dates and parsed JSON both ways, so nothing is encoded or decoded.
export const drizzleToDomain = rowMappers((date: Date) => date, (json: Record<string, string>) => json);
export const drizzleRows = peerRows((date) => date, (json) => json);

/** The executionId upsert's update: the columns a later record of the execution may change. */
export const EXECUTION_UPDATE = {
  completed_at: sql.raw('excluded.completed_at'),
  exit_code: sql.raw('excluded.exit_code'),
  error_message: sql.raw('excluded.error_message'),
  log_paths: sql.raw('excluded.log_paths'),
};
