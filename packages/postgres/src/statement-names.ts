import { createHash } from 'node:crypto';

/**
 * Names parameterised statements by their SQL text so that PostgreSQL parses and plans each once
 * per connection instead of on every call. Bounded: past `capacity` distinct texts, new SQL runs
 * unnamed, so variable SQL can never grow the server's prepared-statement set without limit.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly capacity = 500) {}

  nameFor(sql: string): string | undefined {
    const known = this.names.get(sql);
    if (known !== undefined || this.names.size >= this.capacity) return known;
    const name = `nc_${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
    this.names.set(sql, name);
    return name;
  }
}
