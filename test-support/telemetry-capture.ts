import { context, metrics, trace } from '@opentelemetry/api';
import { AggregationTemporality, type DataPoint, DataPointType, type Histogram, InMemoryMetricExporter, MeterProvider, type MetricData, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

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
 * afterwards reports to them.
 */
export function installTelemetryCapture(): TelemetryCapture {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
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
