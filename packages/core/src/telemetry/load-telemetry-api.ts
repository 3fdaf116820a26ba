/** The `@opentelemetry/api` module, as core uses it (a type only: core never imports it statically). */
export type TelemetryApi = typeof import('@opentelemetry/api');

let loading: Promise<TelemetryApi | undefined> | undefined;

/**
 * `@opentelemetry/api` when the application installed it (an optional peer dependency), else
 * undefined. Loaded once per process, with a dynamic import so that core neither needs it nor
 * pays for it when it is absent; the import works the same when core itself was require()d.
 */
export function loadTelemetryApi(): Promise<TelemetryApi | undefined> {
  loading ??= import('@opentelemetry/api').then(
    (api) => api,
    // Not installed (or unloadable): telemetry stays off; it never fails a store.
    () => undefined,
  );
  return loading;
}
