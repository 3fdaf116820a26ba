import { redactConnectionUrl, redactText } from '@nightcrier/storage-core';

const MASK = '***';

/** The connection URL with its password (and password parameters) replaced by `***`. Safe to print. */
export const maskUrl = redactConnectionUrl;

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
  return redactText(text, secrets, MASK);
}
