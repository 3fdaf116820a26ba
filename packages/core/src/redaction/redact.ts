/**
 * The one place secrets are removed from what the SDK prints, throws or logs. Two mechanisms:
 *
 * - structural: anything shaped like a connection URL loses its password (`scheme://user:***@`),
 *   and `password=…` / `sslpassword=…` parameters lose their values, wherever they stand;
 * - verbatim: each known secret is masked where it stands as a whole token (not inside a word), so
 *   a short password never mangles ordinary text. Secrets shorter than 4 characters, and a password
 *   equal to the user name, are masked structurally only: as bare words they cannot be told apart
 *   from text that merely contains them.
 */
export const REDACTED = '***';

const MIN_VERBATIM_SECRET = 4;
// scheme://user:password@ — the password runs to the last @ of the URL (it may hold an unencoded
// @, / or ?: masking a little too much beats leaking it).
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@?#]*:)(\S*)@/gi;
const PASSWORD_PARAMETER = /\b((?:ssl)?password=)([^&\s'"]*)/gi;

function maskStructurally(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(PASSWORD_PARAMETER, `$1${REDACTED}`);
}

const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

function standsAlone(text: string, start: number, end: number): boolean {
  const before = start === 0 ? '' : text[start - 1] ?? '';
  const after = text[end] ?? '';
  return !WORD_CHARACTER.test(before) && !WORD_CHARACTER.test(after);
}

function maskVerbatim(text: string, secret: string): string {
  let result = '';
  let from = 0;
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + secret.length)) {
    if (!standsAlone(text, at, at + secret.length)) continue;
    result += text.slice(from, at) + REDACTED;
    from = at + secret.length;
  }
  return from === 0 ? text : result + text.slice(from);
}

/** `text` with every connection-URL password, password parameter and known secret masked. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let result = maskStructurally(text);
  for (const secret of secrets) {
    if (secret.length >= MIN_VERBATIM_SECRET && result.includes(secret)) result = maskVerbatim(result, secret);
  }
  return result;
}

/** A connection URL safe to print: `postgres://user:***@host/db?sslpassword=***`; also for URLs that do not parse. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = REDACTED;
    if (parsed.hash !== '') parsed.hash = REDACTED;
    return maskStructurally(parsed.href);
  } catch {
    // Greedy up to the last @: a URL that does not parse may hold spaces or an unencoded @ in its password.
    return maskStructurally(url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*:)(.*)@/is, `$1${REDACTED}@`));
  }
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The secrets a connection URL holds, for `redactText`: its password (as written and decoded) and
 * any password parameters, except values equal to the user name (see above).
 */
export function urlSecrets(url: string): string[] {
  const secrets = new Set<string>();
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url)?.[1];
  const user = userinfo === undefined ? '' : decoded(userinfo.split(':')[0] ?? '');
  const add = (value: string | undefined) => {
    if (value === undefined) return;
    for (const form of [value, decoded(value)]) if (form !== '' && form !== user) secrets.add(form);
  };
  if (userinfo?.includes(':') === true) add(userinfo.slice(userinfo.indexOf(':') + 1));
  for (const match of url.matchAll(/[?&](?:ssl)?password=([^&#]*)/gi)) add(match[1]);
  // Longest first, so that a secret containing another is masked whole.
  return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * Removes every secret from the string properties of `error` and of its `cause` and `errors`
 * chains, in place, so that `String(err)`, `err.stack` and `util.inspect(err)` cannot leak them.
 */
export function redactError<T>(error: T, secrets: readonly string[]): T {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const record = current as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(record)) {
      let value: unknown;
      try {
        value = record[key];
      } catch {
        continue; // a throwing getter holds nothing we put there
      }
      if (typeof value === 'string') {
        const clean = redactText(value, secrets);
        if (clean !== value) {
          try {
            record[key] = clean;
          } catch {
            // a read-only property cannot be rewritten; nothing we build puts a secret there
          }
        }
      } else if (key === 'cause' || (key === 'errors' && Array.isArray(value))) {
        // AggregateError (a refused connection to every address of a host) nests its errors here
        queue.push(...(Array.isArray(value) ? value : [value]));
      }
    }
  }
  return error;
}
