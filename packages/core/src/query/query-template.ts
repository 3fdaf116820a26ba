import { type Compilable, CompiledQuery } from 'kysely';

const SLOT = Symbol('nightcrier.querySlot');

/** Stands in for a value when a query shape is compiled; `bind` later puts the real value there. */
export interface Slot {
  readonly [SLOT]: { name: string; record: number };
}

/**
 * A slot for `values[name]` of the `record`-th object given to `bind` (the first by default), typed
 * as the column value `T` it stands in for, so query builders accept it where that value goes.
 */
export function slot<T = string>(name: string, record = 0): T {
  const placeholder: Slot = { [SLOT]: { name, record } };
  // The one place a slot poses as a value: Kysely only carries it into the parameter list, where
  // QueryTemplate.compile finds it again by its symbol.
  return placeholder as T;
}

function slotOf(value: unknown): { name: string; record: number } | undefined {
  return typeof value === 'object' && value !== null && SLOT in value ? (value as Slot)[SLOT] : undefined;
}

/**
 * A query compiled once per shape. Building and compiling a Kysely query costs about as much as
 * running a primary-key lookup on SQLite, so hot paths compile each shape once and afterwards only
 * put the call's values into the parameter list.
 */
export class QueryTemplate {
  // Shared by every bound query: with no Kysely plugins installed, nothing tells bound queries apart.
  private readonly base: CompiledQuery;

  private constructor(
    readonly sql: string,
    // Per parameter: the slot it comes from, or the constant compiled into it.
    private readonly sources: ReadonlyArray<{ slot: string; record: number } | { constant: unknown }>,
  ) {
    this.base = CompiledQuery.raw(sql, []);
  }

  static compile(query: Compilable): QueryTemplate {
    const compiled = query.compile();
    const sources = compiled.parameters.map((parameter) => {
      const found = slotOf(parameter);
      if (found !== undefined) return { slot: found.name, record: found.record };
      // An array of slots, e.g. `status = any($1)`, binds one array value.
      const first = Array.isArray(parameter) ? slotOf(parameter[0]) : undefined;
      if (first !== undefined && (parameter as unknown[]).every((item) => slotOf(item) !== undefined)) {
        return { slot: `${first.name.replace(/\.\d+$/, '')}[]`, record: first.record };
      }
      return { constant: parameter };
    });
    return new QueryTemplate(compiled.sql, sources);
  }

  /** The compiled query for `records` (slot name → value in each; `name[]` slots take an array). */
  bind(...records: ReadonlyArray<Readonly<Record<string, unknown>>>): CompiledQuery {
    const sources = this.sources;
    const parameters = new Array<unknown>(sources.length);
    for (let i = 0; i < sources.length; i += 1) {
      const source = sources[i] as { slot: string; record: number } | { constant: unknown };
      parameters[i] = 'slot' in source ? records[source.record]?.[source.slot] : source.constant;
    }
    return { query: this.base.query, queryId: this.base.queryId, sql: this.sql, parameters };
  }
}

/** Templates by shape key, compiled on first use. */
export class QueryTemplateCache {
  private readonly templates = new Map<string, QueryTemplate>();

  get(key: string, build: () => Compilable): QueryTemplate {
    let template = this.templates.get(key);
    if (template === undefined) {
      template = QueryTemplate.compile(build());
      this.templates.set(key, template);
    }
    return template;
  }
}
