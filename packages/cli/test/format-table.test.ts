import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatFields, formatTable } from '../src/format-table.js';

/** The display column at which `cell` starts in `line`. */
function columnOf(line: string, cell: string): number {
  const index = line.indexOf(cell);
  expect(index).toBeGreaterThanOrEqual(0);
  return stringWidth(line.slice(0, index));
}

describe('formatTable aligns by display width', () => {
  it('CJK, emoji and combining marks take the columns a terminal gives them', () => {
    const rows = [
      ['決済-prod', 'payments', 'resolved'],
      ['🚀🚀-staging', 'k8s-システム', 'failed'],
      ['cafe\u0301', '👩‍💻 team', 'pending'],
      ['plain', 'x', 'investigating'],
    ];
    const [header, ...body] = formatTable(['CLUSTER', 'NAMESPACE', 'STATUS'], rows);
    const namespaceColumn = columnOf(header as string, 'NAMESPACE');
    const statusColumn = columnOf(header as string, 'STATUS');
    expect(namespaceColumn).toBe(stringWidth('🚀🚀-staging') + 2);
    body.forEach((line, i) => {
      const [, namespace, status] = rows[i] as string[];
      expect(columnOf(line, namespace as string)).toBe(namespaceColumn);
      expect(columnOf(line, status as string)).toBe(statusColumn);
    });
  });

  it('counting code points instead would misalign: the widths differ', () => {
    expect(stringWidth('決済-prod')).toBe(9);
    expect([...'決済-prod'].length).toBe(7);
  });

  it('formatFields lines up values after wide labels', () => {
    const lines = formatFields([
      ['名前', 'a'],
      ['status', 'b'],
    ]);
    expect(lines.map((line) => columnOf(line, line.endsWith('a') ? 'a' : 'b'))).toEqual([8, 8]);
  });
});
