import { context, metrics, trace } from '@opentelemetry/api';
import { AggregationTemporality, type DataPoint, DataPointType, type Histogram, InMemoryMetricExporter, MeterProvider, type MetricData, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { StateStore } from '@nightcrier/storage-core';

/** What the OpenTelemetry SDK received from the code under test, through its in-memory exporters. */
export interface TelemetryCapture {
  /** Spans ended so far (since the last `reset`). */
  spans(): ReadableSpan[];
  /** Collects the metrics now: each metric by name, cumulative since the providers were installed. */
  collect(): Promise<Map<string, MetricData>>;
  /** Forgets the spans ended so far. */
  reset(): void;
  /** Unregisters the providers and shuts them down. */
  shutdown(): Promise<void>;
}

/**
 * Registers a global tracer provider (Node's, with async context) and meter provider whose
 * exporters keep everything in memory, as an application's SDK setup would: a store opened
 * afterwards reports to them. `alsoProcessors` run after the capturing one (an application's own,
 * e.g. one that throws).
 */
export function installTelemetryCapture(alsoProcessors: SpanProcessor[] = []): TelemetryCapture {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter), ...alsoProcessors] });
  tracerProvider.register();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Collected on demand (forceFlush) only: the interval is longer than any test.
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => spanExporter.getFinishedSpans(),
    collect: async () => {
      metricExporter.reset();
      await reader.forceFlush();
      const found = new Map<string, MetricData>();
      for (const resource of metricExporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) for (const metric of scope.metrics) found.set(metric.descriptor.name, metric);
      }
      return found;
    },
    reset: () => spanExporter.reset(),
    shutdown: async () => {
      trace.disable();
      metrics.disable();
      context.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

/** The histogram points of `metric` (empty for another kind of metric). */
export function histogramPoints(metric: MetricData | undefined): DataPoint<Histogram>[] {
  return metric?.dataPointType === DataPointType.HISTOGRAM ? metric.dataPoints : [];
}

/** `db.client.connection.count`'s `used` value of each pool name in `measured`. */
function usedByPool(measured: Map<string, MetricData>): Map<string, number> {
  const points = measured.get('db.client.connection.count')?.dataPoints ?? [];
  const used = points.filter((p) => p.attributes['db.client.connection.state'] === 'used');
  return new Map(used.map((p) => [String(p.attributes['db.client.connection.pool.name']), Number(p.value)]));
}

/**
 * The `db.client.connection.pool.name` `store` reports under: the one pool whose used count rises
 * while a transaction of the store holds a connection. Found by its counts, not by its name's
 * absence before: a cumulative reader keeps reporting the last counts of a closed store's pool.
 */
export async function poolNameOf(capture: TelemetryCapture, store: StateStore): Promise<string> {
  const before = usedByPool(await capture.collect());
  let during = new Map<string, number>();
  await store.transaction(async (tx) => {
    await tx.listIncidents({ cluster: 'pool-name-probe' });
    during = usedByPool(await capture.collect());
  });
  // Collected again once the transaction ended, so that the counts kept for this pool if its store
  // closes next are its idle ones.
  await capture.collect();
  const rose = [...during].filter(([name, used]) => used > (before.get(name) ?? 0)).map(([name]) => name);
  if (rose.length !== 1) throw new Error(`expected one pool to hold a connection during the transaction, found ${rose.length}: ${rose.join(', ')}`);
  return rose[0] as string;
}
