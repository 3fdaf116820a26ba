const REDACTED = '[redacted]';

function scrub(text: string, secrets: readonly string[], mask = REDACTED): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0 && result.includes(secret)) result = result.split(secret).join(mask);
  }
  return result;
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => (/^(ssl)?password=/i.test(pair) ? pair.replace(/=.*$/s, '=***') : pair))
    .join('&');
}

/**
 * A connection URL safe to print: its password, any `password`/`sslpassword` parameter and any
 * fragment replaced by `***` (`postgres://user:***@host/db`). Works on URLs that do not parse too.
 */
export function redactConnectionUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    if (parsed.search !== '') parsed.search = redactQuery(parsed.search.slice(1));
    parsed.hash = parsed.hash === '' ? '' : '***';
    return parsed.href;
  } catch {
    // Greedy up to the last @: an unparsable URL may hold an unencoded @ in its password.
    const masked = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*:)(.*)@/is, '$1***@');
    const queryStart = masked.indexOf('?');
    return queryStart === -1 ? masked : masked.slice(0, queryStart + 1) + redactQuery(masked.slice(queryStart + 1));
  }
}

/**
 * Removes every secret from the string properties of `error` and of its `cause` and `errors` chains, in place,
 * so that `String(err)`, `err.stack` and `util.inspect(err)` cannot leak them.
 */
export function redactSecrets<T>(error: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return error;
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const record = current as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(record)) {
      const value = record[key];
      if (typeof value === 'string') {
        const clean = scrub(value, secrets);
        if (clean !== value) {
          try {
            record[key] = clean;
          } catch {
            // a read-only property cannot be rewritten; nothing we build puts a secret there
          }
        }
      }
    }
    queue.push(record['cause']);
    // AggregateError (e.g. a refused connection to every address of a host) nests its errors here
    if (Array.isArray(record['errors'])) queue.push(...record['errors']);
  }
  return error;
}

export { scrub as redactText };
