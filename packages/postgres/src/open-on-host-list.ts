import type pg from 'pg';
import { type SessionRole, sessionMismatch, type TargetSessionAttrs } from './session-target.js';

/** A session one host gave, with what it said it is (asked only when the target is not `any`). */
export interface OpenedSession<C> {
  session: C;
  role: SessionRole | undefined;
}

/**
 * One host of the list and how to open a session on it. `open` asks the session's role itself,
 * inside the attempt's own deadline and abort handling: a host that goes silent after
 * authentication is one that failed to connect.
 */
export interface HostAttempt<C> {
  hostConfig: pg.ClientConfig;
  open(): Promise<OpenedSession<C>>;
}

/** No host of a multi-host URL gave a suitable session; the message names each host and why. */
export class NoSuitableHostError extends Error {
  /** Each host's own error, where it failed to connect (a host that did not suit has none). */
  readonly errors: unknown[];

  constructor(message: string, errors: unknown[]) {
    super(message);
    this.name = 'NoSuitableHostError';
    this.errors = errors;
  }
}

/** How long one host's reason may be in the message: the driver's text, never the URL. */
const REASON_CHARS = 160;

function hostName({ host, port }: pg.ClientConfig): string {
  const name = String(host);
  return `${name.includes(':') ? `[${name}]` : name}:${String(port)}`;
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS)}…` : text;
}

/**
 * Opens a session on the first host, in order, that accepts the connection and suits `target`,
 * as libpq walks its host list; a host that refuses, times out (the connect timeout applies to each
 * host's whole attempt: connect, session setup, role check) or does not suit is passed over.
 * `prefer-standby` first looks for a standby on every host and otherwise keeps the first session
 * it opened (libpq connects again instead).
 *
 * With one host, a failed attempt's own error is thrown unchanged. Otherwise a
 * {@link NoSuitableHostError} names every host tried and why. `discard` ends a session passed over.
 */
export async function openOnHostList<C>(
  hosts: ReadonlyArray<HostAttempt<C>>,
  target: TargetSessionAttrs,
  signal: AbortSignal | undefined,
  discard: (session: C) => void,
): Promise<C> {
  const reasons: string[] = [];
  const errors: unknown[] = [];
  let fallback: C | undefined;
  // A function, not a narrowed property: the signal may abort while an attempt is awaited.
  const aborted = (): boolean => signal?.aborted === true;
  for (const attempt of hosts) {
    if (aborted()) break;
    let opened: OpenedSession<C>;
    try {
      opened = await attempt.open();
    } catch (error) {
      if (aborted()) throw error;
      if (hosts.length === 1) throw error;
      errors.push(error);
      reasons.push(`${hostName(attempt.hostConfig)} failed to connect (${reasonOf(error)})`);
      continue;
    }
    const { session, role } = opened;
    if (target === 'any' || role === undefined) return session;
    const mismatch = sessionMismatch(target, role);
    if (mismatch === undefined) {
      if (fallback !== undefined) discard(fallback);
      return session;
    }
    if (target === 'prefer-standby' && fallback === undefined) fallback = session;
    else discard(session);
    reasons.push(`${hostName(attempt.hostConfig)} ${mismatch}`);
  }
  if (fallback !== undefined && !aborted()) return fallback;
  if (fallback !== undefined) discard(fallback);
  if (aborted()) throw signal?.reason;
  const what = target === 'any' ? 'no host accepted the connection' : `no host suits target_session_attrs=${target}`;
  throw new NoSuitableHostError(`${what}: ${reasons.join('; ')}`, errors);
}
