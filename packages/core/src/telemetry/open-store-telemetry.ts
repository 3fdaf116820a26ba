import type { AdapterConnection } from '../adapter/adapter-connection.js';
import { ValidationError } from '../errors/state-store-error.js';
import { previewValue } from '../validation/preview-value.js';
import { loadTelemetryApi, type TelemetryApi } from './load-telemetry-api.js';
import { StoreTelemetry } from './store-telemetry.js';
import type { TelemetryOptions } from './telemetry-options.js';

/** The instrumentation scope of every span and instrument core creates. */
const SCOPE = '@nightcrier/storage-core';

/** Refuses a `telemetry` option that is not `{ queryText?: boolean }`. */
export function checkTelemetryOptions(options: unknown): TelemetryOptions | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(`invalid telemetry: expected an object, got ${previewValue(options)}`, { field: 'telemetry' });
  }
  const { queryText } = options as TelemetryOptions;
  if (queryText !== undefined && typeof queryText !== 'boolean') {
    throw new ValidationError(`invalid telemetry.queryText: expected true or false, got ${previewValue(queryText)}`, { field: 'telemetry' });
  }
  return { queryText: queryText === true };
}

/** Whether an application registered a global tracer provider (without one, `getTracer` hands out a proxy). */
function registeredTracer(api: TelemetryApi) {
  const tracer = api.trace.getTracer(SCOPE);
  return tracer instanceof api.ProxyTracer ? undefined : tracer;
}

/** Whether an application registered a global meter provider (without one, every meter is the no-op one). */
function registeredMeter(api: TelemetryApi) {
  const meter = api.metrics.getMeter(SCOPE);
  return meter === api.createNoopMeter() ? undefined : meter;
}

/**
 * The instrumentation of a store that is opening, or undefined — `@opentelemetry/api` is not
 * installed, or neither a tracer nor a meter provider is registered — in which case the store's
 * calls run exactly as without telemetry. Providers are looked up once, here: one registered
 * after the store opened applies to stores opened afterwards.
 */
export async function openStoreTelemetry(connection: AdapterConnection, options: TelemetryOptions | undefined): Promise<StoreTelemetry | undefined> {
  const api = await loadTelemetryApi();
  if (api === undefined) return undefined;
  const tracer = registeredTracer(api);
  const meter = registeredMeter(api);
  if (tracer === undefined && meter === undefined) return undefined;
  return new StoreTelemetry({ api, tracer, meter, queryText: options?.queryText === true }, connection.server, connection.pool, connection.secrets ?? []);
}
