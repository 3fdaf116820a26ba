import { randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { ConflictError, newIncidentFromEvent, NotFoundError, type StateStore, type StoreOptions, ValidationError } from '@nightcrier/storage-core';
import { faultEvent } from './fixtures.js';
import { histogramPoints, installTelemetryCapture, poolNameOf, type TelemetryCapture } from './telemetry-capture.js';

/** What a backend's telemetry test supplies: fresh stores, and the server attributes its spans must carry. */
export interface TelemetryHarness {
  /** Opens a migrated store (its own database or file, or a shared one: tests use their own ids). */
  open(options: StoreOptions): Promise<StateStore>;
  /** `db.system.name`, `db.namespace`, `server.address`, `server.port` as this backend reports them. */
  serverAttributes: Record<string, string | number>;
  /** `db.response.status_code` of a duplicate incident id: the code the database answers a unique violation with. */
  conflictStatusCode: string;
  /**
   * Runs one call on `store` about incident `incidentId` that core must retry at least once (a lock
   * held elsewhere, its connection killed mid-statement) and that then succeeds.
   */
  retriedCall?(store: StateStore, incidentId: string): Promise<void>;
}

/** Attribute keys whose absence is part of the contract when not asked for. */
const OPT_IN = 'db.query.text';

/** Everything a span tells an exporter, as text, to look for values that must not be there. */
function exported(span: ReadableSpan): string {
  return JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status, links: span.links });
}

/**
 * The OpenTelemetry behaviour every adapter must show, through the SDK's in-memory exporters: one
 * CLIENT span per call named after the operation with the database semantic-convention attributes,
 * `error.type` and status ERROR on failure, no parameter values anywhere, `db.query.text` only when
 * asked for, the duration histogram and the pool's connection counts — and nothing at all with the
 * API installed but no provider registered. Tests run in order: the first one runs before the
 * providers exist.
 */
export function describeTelemetry(name: string, harness: TelemetryHarness): void {
  describe(`${name} OpenTelemetry`, () => {
    let capture: TelemetryCapture | undefined;
    const stores: StateStore[] = [];
    const open = async (options: StoreOptions = {}) => {
      const store = await harness.open(options);
      stores.push(store);
      return store;
    };
    const installed = () => (capture ??= installTelemetryCapture());
    const tag = () => `otel-${randomBytes(4).toString('hex')}`;
    // A value no span may show: it is in the ids, the cluster and the context of every record written.
    const marker = `sensitive-${randomBytes(6).toString('hex')}`;
    const writeOne = async (store: StateStore) => {
      const id = `${marker}-${tag()}`;
      await store.createIncident(newIncidentFromEvent(id, { ...faultEvent(`f-${id}`, marker), context: marker }), faultEvent(`f-${id}`, marker));
      return id;
    };

    afterAll(async () => {
      for (const store of stores) await store.close();
      await capture?.shutdown();
    });

    it('with the API installed and no provider registered, a store creates no spans and records nothing (not even once one is registered later)', async () => {
      const store = await open();
      const id = await writeOne(store);
      await expect(store.getIncident(id)).resolves.toMatchObject({ incidentId: id });
      const sdk = installed();
      // Providers are looked up when a store opens: this store stays untraced.
      await store.getIncident(id);
      await expect(store.getIncident(`missing-${tag()}`)).rejects.toBeInstanceOf(NotFoundError);
      const measured = await sdk.collect();
      console.log(`untraced store: ${sdk.spans().length} spans, ${histogramPoints(measured.get('db.client.operation.duration')).length} duration points`);
      expect(sdk.spans()).toEqual([]);
      expect(histogramPoints(measured.get('db.client.operation.duration'))).toEqual([]);
    });

    it('makes one CLIENT span per call, named after the operation, with the server attributes; a transaction holds its calls', async () => {
      const sdk = installed();
      const store = await open();
      sdk.reset();
      const id = await writeOne(store);
      await store.getIncident(id);
      await store.updateIncidentStatus(id, 'resolved');
      await store.recordAgentExecution({ executionId: `x-${id}`, incidentId: id, startedAt: new Date(), exitCode: 0 });
      await store.listAgentExecutions(id);
      await store.listIncidents({ cluster: marker });
      await store.pageIncidents({ cluster: marker, limit: 2 });
      await store.health();
      await store.transaction(async (tx) => {
        await tx.getIncident(id);
        await tx.completeIncident(id, 0);
      });
      const spans = sdk.spans();
      const names = spans.map((span) => span.name);
      console.log(`spans: ${names.join(', ')}`);
      // Ended in order; a transaction's calls end before it.
      expect(names).toEqual([
        'createIncident',
        'getIncident',
        'updateIncidentStatus',
        'recordAgentExecution',
        'listAgentExecutions',
        'listIncidents',
        'pageIncidents',
        'health',
        'getIncident',
        'completeIncident',
        'transaction',
      ]);
      for (const span of spans) {
        expect(span.kind).toBe(SpanKind.CLIENT);
        expect(span.attributes).toEqual({ ...harness.serverAttributes, 'db.operation.name': span.name });
        expect(span.status.code).toBe(SpanStatusCode.UNSET);
        expect(span.instrumentationScope.name).toBe('@nightcrier/storage-core');
      }
      const transaction = spans[10] as ReadableSpan;
      for (const inner of spans.slice(8, 10)) expect(inner.parentSpanContext?.spanId).toBe(transaction.spanContext().spanId);
      for (const outer of spans.slice(0, 8)) expect(outer.parentSpanContext).toBeUndefined();
    });

    it('marks a failed call with error.type (the error code), db.response.status_code (the database\'s own, when it answered one) and status ERROR', async () => {
      const sdk = installed();
      const store = await open();
      const id = await writeOne(store);
      sdk.reset();
      await expect(store.createIncident(newIncidentFromEvent(id, faultEvent(`f-${id}`, marker)), faultEvent(`f-${id}`, marker))).rejects.toBeInstanceOf(ConflictError);
      await expect(store.getIncident(`${marker}-missing`)).rejects.toBeInstanceOf(NotFoundError);
      const failed = sdk.spans().filter((span) => span.status.code === SpanStatusCode.ERROR);
      console.log(`failed spans: ${failed.map((span) => `${span.name} ${String(span.attributes['error.type'])} ${String(span.attributes['db.response.status_code'])}`).join(', ')}`);
      // NOT_FOUND is core's own finding: the database answered without an error.
      expect(failed.map((span) => [span.name, span.attributes['error.type'], span.attributes['db.response.status_code'], span.status.message])).toEqual([
        ['createIncident', 'CONFLICT', harness.conflictStatusCode, 'CONFLICT'],
        ['getIncident', 'NOT_FOUND', undefined, 'NOT_FOUND'],
      ]);
      for (const span of sdk.spans()) expect(exported(span)).not.toContain(marker);
    });

    it('never exports parameter values; db.query.text (placeholders only) only with telemetry.queryText', async () => {
      const sdk = installed();
      const plain = await open();
      const verbose = await open({ telemetry: { queryText: true } });
      sdk.reset();
      const id = await writeOne(plain);
      await plain.getIncident(id);
      const plainSpans = sdk.spans();
      sdk.reset();
      const other = await writeOne(verbose);
      await verbose.getIncident(other);
      await expect(verbose.getIncident(`${marker}-missing`)).rejects.toBeInstanceOf(NotFoundError);
      await verbose.transaction(async (tx) => tx.updateIncidentStatus(other, 'resolved'));
      const verboseSpans = sdk.spans();
      for (const span of [...plainSpans, ...verboseSpans]) expect(exported(span)).not.toContain(marker);
      for (const span of plainSpans) {
        expect(span.attributes[OPT_IN]).toBeUndefined();
        expect(span.events).toEqual([]);
      }
      const texts = verboseSpans.map((span) => String(span.attributes[OPT_IN]));
      console.log(`db.query.text of ${verboseSpans.map((span) => span.name).join(', ')}:\n  ${texts.join('\n  ')}`);
      for (const span of verboseSpans) {
        expect(typeof span.attributes[OPT_IN]).toBe('string');
        expect(span.events.length).toBeGreaterThan(0);
        expect(span.events.every((event) => event.name === 'db.query' && typeof event.attributes?.[OPT_IN] === 'string')).toBe(true);
      }
      expect(texts[0]).toMatch(/insert into/i);
      expect(texts[1]).toMatch(/select/i);
    });

    it('records db.client.operation.duration per operation and outcome, and reports the pool connection counts', async () => {
      const sdk = installed();
      const store = await open();
      // Cumulative points: what this test added is the difference (other stores share the attributes).
      const count = (points: DataPoint<Histogram>[], operation: string, errorType?: string) =>
        points.find((p) => p.attributes['db.operation.name'] === operation && p.attributes['error.type'] === errorType && p.attributes['db.namespace'] === harness.serverAttributes['db.namespace'])?.value.count ?? 0;
      const poolName = await poolNameOf(sdk, store);
      const before = histogramPoints((await sdk.collect()).get('db.client.operation.duration'));
      const id = await writeOne(store);
      for (let i = 0; i < 5; i += 1) await store.getIncident(id);
      await expect(store.createIncident(newIncidentFromEvent(id, faultEvent(`f-${id}`, marker)), faultEvent(`f-${id}`, marker))).rejects.toBeInstanceOf(ConflictError);
      const measured = await sdk.collect();
      const duration = measured.get('db.client.operation.duration');
      expect(duration?.descriptor.unit).toBe('s');
      const points = histogramPoints(duration);
      const added = (operation: string, errorType?: string) => count(points, operation, errorType) - count(before, operation, errorType);
      console.log(`duration points: ${points.map((p) => `${String(p.attributes['db.operation.name'])}${p.attributes['error.type'] ? `/${String(p.attributes['error.type'])}` : ''} n=${p.value.count}`).join(', ')}`);
      const reads = points.find((p) => p.attributes['db.operation.name'] === 'getIncident' && p.attributes['error.type'] === undefined);
      expect(added('getIncident')).toBe(5);
      expect(reads?.attributes).toEqual({ ...harness.serverAttributes, 'db.operation.name': 'getIncident' });
      expect(reads?.value.sum).toBeGreaterThan(0);
      expect(reads?.value.max).toBeLessThan(30);
      expect(added('createIncident')).toBe(1);
      expect(added('createIncident', 'CONFLICT')).toBe(1);
      const conflicts = points.filter((p) => p.attributes['error.type'] === 'CONFLICT' && p.attributes['db.namespace'] === harness.serverAttributes['db.namespace']);
      expect(conflicts.map((p) => p.attributes['db.response.status_code'])).toEqual([harness.conflictStatusCode]);
      for (const metric of measured.values()) expect(JSON.stringify(metric.dataPoints)).not.toContain(marker);
      const connections = measured.get('db.client.connection.count')?.dataPoints ?? [];
      const pending = measured.get('db.client.connection.pending_requests')?.dataPoints ?? [];
      // This store's own pool (its name is unique in the process): idle between calls, none used, none waiting.
      const ownPoints = connections.filter((p) => p.attributes['db.client.connection.pool.name'] === poolName);
      const ownPending = pending.filter((p) => p.attributes['db.client.connection.pool.name'] === poolName);
      console.log(`pool ${poolName}: ${ownPoints.map((p) => `${String(p.attributes['db.client.connection.state'])}=${String(p.value)}`).join(', ')}, pending ${ownPending.map((p) => String(p.value)).join(', ')}; ${connections.length / 2} pools in the process`);
      const own = (state: string) => ownPoints.filter((p) => p.attributes['db.client.connection.state'] === state).map((p) => Number(p.value));
      expect(own('idle')).toHaveLength(1);
      expect(own('idle')[0]).toBeGreaterThanOrEqual(1);
      expect(own('used')).toEqual([0]);
      expect(ownPending.map((p) => Number(p.value))).toEqual([0]);
      expect(ownPoints.every((p) => p.attributes['db.namespace'] === harness.serverAttributes['db.namespace'])).toBe(true);
      expect(new Set(connections.map((p) => p.attributes['db.client.connection.pool.name'])).size).toBe(connections.length / 2);
    });

    const { retriedCall } = harness;
    if (retriedCall !== undefined) it('notes each retry of a call as a retry event on its span', async () => {
      const sdk = installed();
      const store = await open();
      const id = await writeOne(store);
      sdk.reset();
      await retriedCall(store, id);
      const [span, ...others] = sdk.spans();
      const retries = span?.events.filter((event) => event.name === 'retry') ?? [];
      console.log(`${span?.name}: ${retries.length} retry events (${retries.map((event) => `${String(event.attributes?.['nightcrier.retry.reason'])}#${String(event.attributes?.['nightcrier.retry.attempt'])}`).join(', ')})`);
      expect(others).toEqual([]);
      expect(span?.status.code).toBe(SpanStatusCode.UNSET);
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.map((event) => event.attributes?.['nightcrier.retry.attempt'])).toEqual(retries.map((_, index) => index + 1));
      expect(typeof retries[0]?.attributes?.['nightcrier.retry.reason']).toBe('string');
    });

    it('refuses a malformed telemetry option with a ValidationError', async () => {
      await expect(harness.open({ telemetry: { queryText: 'yes' } as never })).rejects.toBeInstanceOf(ValidationError);
      await expect(harness.open({ telemetry: 'on' as never })).rejects.toMatchObject({ code: 'VALIDATION', field: 'telemetry' });
    });
  });
}
