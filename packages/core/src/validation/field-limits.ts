/**
 * The longest value each kind of string field may hold, in UTF-8 bytes, on every backend alike.
 * Validation enforces them before anything is sent, so a value too long for one engine's index is
 * refused the same way everywhere instead of failing on one backend only.
 */
export const FIELD_LIMITS = Object.freeze({
  /**
   * Ids and every field a list filter matches or an index holds (cluster, namespace, fault type,
   * severity, subscription, resource fields, the cluster's timestamp text). 255 bytes fit every
   * engine's index key: PostgreSQL's btree rows (2704 bytes), MySQL's VARCHAR(255) utf8mb4 keys.
   * Kubernetes names are at most 253 characters.
   */
  keyBytes: 255,
  /** Free text: context, failure reason, error message, report markdown and HTML. */
  textBytes: 4 * 1024 * 1024,
  /** Entries in an execution's `logPaths`. */
  logPathEntries: 256,
  /** One log path (Linux's PATH_MAX). */
  logPathBytes: 4096,
});

/** Characters of a value a message may quote; the rest is cut. */
export const MESSAGE_PREVIEW_CHARS = 64;
