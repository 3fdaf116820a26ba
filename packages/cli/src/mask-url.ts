const MASK = '***';

/**
 * The connection URL with its password replaced by `***` (`postgres://user:***@host/db`), also a
 * `password=` query parameter. Safe to print. When the URL cannot be parsed, everything between
 * `scheme://` and the last `@` is masked: hiding too much beats leaking a secret.
 */
export function maskUrl(url: string): string {
  let masked = url;
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      parsed.password = MASK;
      masked = parsed.toString();
    }
  } catch {
    masked = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@]*:[^@]*)@/i, (_all, scheme: string, userinfo: string) => {
      const user = userinfo.slice(0, userinfo.indexOf(':'));
      return `${scheme}${user}:${MASK}@`;
    });
    // an unparsable URL with an `@` in the password itself: mask up to the last `@` too
    masked = masked.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)\*\*\*@.*@/i, `$1${MASK}@`);
  }
  return masked.replace(/([?&]password=)[^&#]*/gi, `$1${MASK}`);
}

/** The secrets in `url` (its password, raw and decoded, and a `password=` parameter) to scrub from output. */
export function urlSecrets(url: string): string[] {
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    if (value === undefined || value === '') return;
    secrets.add(value);
    try {
      secrets.add(decodeURIComponent(value));
    } catch {
      // not percent-encoded: the raw value is already in the set
    }
  };
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url)?.[1];
  if (userinfo !== undefined && userinfo.includes(':')) add(userinfo.slice(userinfo.indexOf(':') + 1));
  for (const match of url.matchAll(/[?&]password=([^&#]*)/gi)) add(match[1]);
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(MASK);
  return result;
}
