/**
 * OpenTelemetry settings of one store (`StoreOptions.telemetry`). Spans and metrics themselves
 * need no setting: they appear when `@opentelemetry/api` is installed and the application
 * registered a tracer or meter provider before it opened the store.
 */
export interface TelemetryOptions {
  /**
   * Adds `db.query.text` to each call's span (the statements it ran, joined with `; `) and one
   * `db.query` event per statement. Off by default. The text has placeholders only: core binds
   * every value as a parameter, so parameter values never appear.
   */
  queryText?: boolean;
}
