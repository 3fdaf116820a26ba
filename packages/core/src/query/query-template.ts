import { type Compilable, CompiledQuery } from 'kysely';

const SLOT = Symbol('nightcrier.querySlot');

/** Stands in for a value when a query shape is compiled; `bind` later puts the real value there. */
export interface Slot {
  readonly [SLOT]: string;
}

export function slot(name: string): Slot {
  return { [SLOT]: name };
}

function slotName(value: unknown): string | undefined {
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
    // Per parameter: the slot it comes from (a string), or the constant compiled into it.
    private readonly sources: ReadonlyArray<{ slot: string } | { constant: unknown }>,
  ) {
    this.base = CompiledQuery.raw(sql, []);
  }

  static compile(query: Compilable): QueryTemplate {
    const compiled = query.compile();
    const sources = compiled.parameters.map((parameter) => {
      const name = slotName(parameter);
      if (name !== undefined) return { slot: name };
      // An array of slots, e.g. `status = any($1)`, binds one array value.
      if (Array.isArray(parameter) && parameter.length > 0 && parameter.every((item) => slotName(item) !== undefined)) {
        return { slot: `${slotName(parameter[0])?.replace(/\.\d+$/, '')}[]` };
      }
      return { constant: parameter };
    });
    return new QueryTemplate(compiled.sql, sources);
  }

  /** The compiled query for `values` (slot name → value; `name[]` slots take an array). */
  bind(values: Readonly<Record<string, unknown>>): CompiledQuery {
    const parameters = this.sources.map((source) => ('slot' in source ? values[source.slot] : source.constant));
    return { ...this.base, parameters };
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
