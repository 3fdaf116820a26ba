import { readFileSync } from 'node:fs';
import { ValidationError } from '../errors/state-store-error.js';

/**
 * The pieces every server adapter's URL parser needs, so each parser holds only its own
 * parameters and TLS rules. Every refusal is a `ValidationError` with `field: 'url'` whose
 * message never holds the URL itself (it carries the password) nor a file's content.
 */

/** A refusal of the URL, with the reason a user can act on. */
export function invalidUrl(reason: string): ValidationError {
  return new ValidationError(`invalid url: ${reason}`, { field: 'url' });
}

/**
 * Checks the scheme, parses the URL and refuses a `#fragment` (almost always an unencoded `#` in a
 * password, which would silently cut it short).
 *
 * @example
 * const parsed = openServerUrl(url, /^(mysql|mariadb):\/\//i, 'a MySQL URL starts with mysql:// or mariadb://');
 */
export function openServerUrl(url: string, scheme: RegExp, expectation: string): URL {
  if (!scheme.test(url)) throw invalidUrl(expectation);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // No `cause`: Node's ERR_INVALID_URL carries the whole input, password included.
    throw invalidUrl('it cannot be parsed; percent-encode @ : / ? # % in the user name and password');
  }
  if (parsed.hash !== '') throw invalidUrl('it has a #fragment; percent-encode # in the password as %23');
  return parsed;
}

/** Percent-decodes one part of the URL; `what` names it in the refusal ("the password"). */
export function decodeUrlPart(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidUrl(`${what} has a malformed %-escape`);
  }
}

/** The host of a parsed URL, an IPv6 literal without its brackets, percent-decoded. */
export function urlHost(parsed: URL): string {
  const { hostname } = parsed;
  return decodeUrlPart(hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname, 'the host');
}

/** What the first line of a PEM file of each kind must say. */
export const PEM_MARKERS = {
  /** A certificate or CA bundle (`sslrootcert`, `sslcert`, `ssl-ca`, `ssl-cert`). */
  certificate: /-----BEGIN CERTIFICATE-----/,
  /** A private key of any algorithm, PKCS#1 or PKCS#8 (`sslkey`, `ssl-key`). */
  privateKey: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
} as const;

/**
 * Reads a PEM file a URL parameter names, now, so that a missing or wrong file is refused while the
 * URL is parsed rather than surfacing as an obscure TLS failure at connect time.
 */
export function readPemFile(parameter: string, path: string, marker: RegExp): Buffer {
  if (path === '') throw invalidUrl(`${parameter} is empty`);
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ValidationError(`invalid url: cannot read the ${parameter} file ${path} (${code})`, { field: 'url', cause: error });
  }
  if (!marker.test(content.toString('latin1'))) throw invalidUrl(`the ${parameter} file ${path} is not in PEM format`);
  return content;
}
