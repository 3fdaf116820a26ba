import { inject } from 'vitest';
import { createCitusDatabase } from './citus-cluster.js';

let created = 0;

/**
 * A Citus database of the calling test file's own on the run's cluster (empty: nothing migrated),
 * named after `label`; returns its coordinator URL. Left for the cluster's removal at the run's end.
 */
export async function citusTestDatabase(label: string): Promise<string> {
  created += 1;
  return createCitusDatabase(inject('citusPorts'), `nc_${label}_${process.pid}_${created}`);
}
