import type { Attributes, Histogram, Meter, Span, Tracer } from '@opentelemetry/api';
import type { ServerIdentity, SessionPool } from '../adapter/adapter-connection.js';
import { StateStoreError } from '../errors/state-store-error.js';
import { redactText } from '../redaction/redact.js';
import type { TelemetryApi } from './load-telemetry-api.js';
import { responseStatusCode } from './response-status-code.js';

/** The histogram's buckets, in seconds: the ones the database semantic conventions advise. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** What one store reports to: the tracer and meter found registered when it opened (either may be absent). */
export interface TelemetrySinks {
  api: TelemetryApi;
  tracer: Tracer | undefined;
  meter: Meter | undefined;
  /** Adds `db.query.text` (placeholders only) to spans. */
  queryText: boolean;
}

/** The low-cardinality attributes every span and measurement of a store carries. */
function serverAttributes(server: ServerIdentity): Attributes {
  const attributes: Attributes = { 'db.system.name': server.system };
  if (server.namespace !== undefined) attributes['db.namespace'] = server.namespace;
  if (server.address !== undefined) attributes['server.address'] = server.address;
  if (server.port !== undefined && Number.isFinite(server.port)) attributes['server.port'] = server.port;
  return attributes;
}

/**
 * `error.type` of a failed call: the typed error's stable code (`CONFLICT`, `TIMEOUT`, …), else the
 * error's class name (what the caller's own transaction function threw). Never its message: that
 * names ids and other values of the call.
 */
export function errorType(error: unknown): string {
  if (error instanceof StateStoreError) return error.code;
  return error instanceof Error ? error.name : '_OTHER';
}

/** The attributes a failed call adds to its span and its duration: `error.type`, and `db.response.status_code` when known. */
function failureAttributes(error: unknown): { 'error.type': string; 'db.response.status_code'?: string } {
  const status = responseStatusCode(error);
  return status === undefined ? { 'error.type': errorType(error) } : { 'error.type': errorType(error), 'db.response.status_code': status };
}

/**
 * One store's OpenTelemetry instrumentation: a CLIENT span per call named after the operation, with
 * the stable database semantic-convention attributes; `db.client.operation.duration`; retries as
 * span events; the pool's connection counts as observable instruments. Exists only when
 * `@opentelemetry/api` is installed and a provider was registered: otherwise the store holds none
 * and its calls pay nothing.
 */
export class StoreTelemetry {
  private readonly attributes: Attributes;
  /** Each operation's attributes, built once: a call only looks them up. */
  private readonly byOperation = new Map<string, Attributes>();
  private readonly duration: Histogram | undefined;
  private readonly statements = new WeakMap<Span, string[]>();
  private readonly stopObserving: () => void;

  constructor(
    private readonly sinks: TelemetrySinks,
    server: ServerIdentity,
    pool: SessionPool,
    private readonly secrets: readonly string[],
  ) {
    this.attributes = serverAttributes(server);
    const { meter } = sinks;
    this.duration = meter?.createHistogram('db.client.operation.duration', {
      description: 'Duration of database client operations.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.stopObserving = meter === undefined ? () => undefined : observePool(meter, pool, server, this.attributes);
  }

  /**
   * Runs one call (`run` starts it and returns its answer) inside a span named `operation`, and
   * records its duration when the answer settles. Returns `run`'s own promise, so a call that
   * completed synchronously is still settled when this returns.
   */
  traced<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const { api, tracer } = this.sinks;
    const started = performance.now();
    const attributes = this.attributesOf(operation);
    const span = this.guarded('starting a span', () => tracer?.startSpan(operation, { kind: api.SpanKind.CLIENT, attributes }));
    if (span !== undefined && this.sinks.queryText) this.statements.set(span, []);
    let answer: Promise<T>;
    try {
      answer = span === undefined ? run() : api.context.with(api.trace.setSpan(api.context.active(), span), run);
    } catch (error) {
      answer = Promise.reject(error);
    }
    // This promise is nobody's to handle: it must never reject, hence finish is guarded.
    answer.then(
      () => this.guarded('ending a span', () => this.finish(span, attributes, started, undefined)),
      (error: unknown) => this.guarded('ending a span', () => this.finish(span, attributes, started, error)),
    );
    return answer;
  }

  /** Notes a retry on the span of the call that retries (a `retry` event). */
  retried(reason: string, attempt: number): void {
    this.guarded('recording a retry', () =>
      this.sinks.api.trace.getActiveSpan()?.addEvent('retry', { 'nightcrier.retry.reason': reason, 'nightcrier.retry.attempt': attempt }),
    );
  }

  /**
   * The query observer that records each statement's text on the running call's span, or
   * undefined unless `queryText` is on.
   */
  statementObserver(): ((sql: string) => void) | undefined {
    if (!this.sinks.queryText) return undefined;
    return (sql) =>
      this.guarded('recording a statement', () => {
        const span = this.sinks.api.trace.getActiveSpan();
        const texts = span === undefined ? undefined : this.statements.get(span);
        if (span === undefined || texts === undefined) return;
        const text = redactText(sql, this.secrets);
        texts.push(text);
        span.addEvent('db.query', { 'db.query.text': text });
      });
  }

  /** Stops reporting the pool (the store closed) and gives its pool name back. */
  close(): void {
    this.guarded('stopping the pool counts', this.stopObserving);
  }

  /**
   * Runs one step of the instrumentation. What the application's SDK throws there (a span
   * processor's onStart or onEnd, a sampler, an exporter called synchronously) goes to
   * OpenTelemetry's diagnostic logger and no further: instrumentation never fails a call, and
   * never rejects a promise nobody handles (a crash under Node's default).
   */
  private guarded<R>(step: string, run: () => R): R | undefined {
    try {
      return run();
    } catch (error) {
      try {
        this.sinks.api.diag.error(`@nightcrier/storage-core: ${step} failed`, error);
      } catch {
        // The diagnostic logger is the application's too: nothing is left to tell.
      }
      return undefined;
    }
  }

  private attributesOf(operation: string): Attributes {
    let attributes = this.byOperation.get(operation);
    if (attributes === undefined) {
      attributes = Object.freeze({ ...this.attributes, 'db.operation.name': operation });
      this.byOperation.set(operation, attributes);
    }
    return attributes;
  }

  /**
   * Records the call's duration and ends its span; when it failed, with `error.type`, the
   * database's `db.response.status_code` when it answered with one, and status ERROR.
   */
  private finish(span: Span | undefined, attributes: Attributes, started: number, error: unknown): void {
    const seconds = (performance.now() - started) / 1000;
    const failure = error === undefined ? undefined : failureAttributes(error);
    this.duration?.record(seconds, failure === undefined ? attributes : { ...attributes, ...failure });
    if (span === undefined) return;
    const texts = this.statements.get(span);
    if (texts !== undefined && texts.length > 0) span.setAttribute('db.query.text', texts.join('; '));
    if (failure !== undefined) {
      span.setAttributes(failure);
      // The status carries the code only: an error's message names the call's ids and values.
      span.setStatus({ code: this.sinks.api.SpanStatusCode.ERROR, message: failure['error.type'] });
    }
    span.end();
  }
}

/** The pool names in use in this process: each base name with the ordinals its open stores hold (1 is the plain name). */
const poolNames = new Map<string, Set<number>>();

/**
 * `db.client.connection.pool.name`: `address:port/namespace` (`address/namespace` for a Unix
 * socket, the namespace alone for embedded engines and servers without one fixed address), unique in the process as the conventions require, so two stores on one database
 * report two pools instead of overwriting each other's counts: the second open one gets
 * `name#2`. Returns the name and the function that gives it back when the store closes, so a
 * store reopened on the same database reports under the plain name again.
 */
function uniquePoolName(server: ServerIdentity): { name: string; release: () => void } {
  const where = server.address === undefined || server.port === undefined ? server.address : `${server.address}:${server.port}`;
  const base = [where, server.namespace].filter((part) => part !== undefined).join('/') || server.system;
  let taken = poolNames.get(base);
  if (taken === undefined) poolNames.set(base, (taken = new Set()));
  let ordinal = 1;
  while (taken.has(ordinal)) ordinal += 1;
  taken.add(ordinal);
  const held = taken;
  const release = () => {
    held.delete(ordinal);
    if (held.size === 0 && poolNames.get(base) === held) poolNames.delete(base);
  };
  return { name: ordinal === 1 ? base : `${base}#${ordinal}`, release };
}

/**
 * Reports `db.client.connection.count` (by `db.client.connection.state`: idle, used) and
 * `db.client.connection.pending_requests` from the pool's stats at each collection; returns the
 * function that stops it.
 */
function observePool(meter: Meter, pool: SessionPool, server: ServerIdentity, attributes: Attributes): () => void {
  const count = meter.createObservableUpDownCounter('db.client.connection.count', {
    description: 'The number of connections that are currently in the state described by the state attribute.',
    unit: '{connection}',
  });
  const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
    description: 'The number of current pending requests for an open connection.',
    unit: '{request}',
  });
  const poolName = uniquePoolName(server);
  const base: Attributes = { ...attributes, 'db.client.connection.pool.name': poolName.name };
  const observe: Parameters<Meter['addBatchObservableCallback']>[0] = (result) => {
    const stats = pool.stats();
    result.observe(count, stats.idleConnections, { ...base, 'db.client.connection.state': 'idle' });
    result.observe(count, stats.activeConnections, { ...base, 'db.client.connection.state': 'used' });
    result.observe(pending, stats.waitingRequests, base);
  };
  meter.addBatchObservableCallback(observe, [count, pending]);
  let observing = true;
  return () => {
    if (!observing) return;
    observing = false;
    poolName.release();
    meter.removeBatchObservableCallback(observe, [count, pending]);
  };
}
