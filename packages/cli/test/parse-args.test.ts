import { describe, expect, it } from 'vitest';
import { formatTable } from '../src/format-table.js';
import { parseArgs } from '../src/parse-args.js';
import { parseInteger, parseIsoDate, parseStatuses } from '../src/parse-values.js';
import { UsageError } from '../src/usage-error.js';

describe('parseArgs', () => {
  it('reads --flag value, --flag=value and booleans anywhere in the line', () => {
    const args = parseArgs(['--url', 'sqlite:a.db', 'incidents', 'list', '--cluster=prod', '--json', '--limit', '5']);
    expect(args.positionals).toEqual(['incidents', 'list']);
    expect(args.values.get('url')).toEqual(['sqlite:a.db']);
    expect(args.values.get('cluster')).toEqual(['prod']);
    expect(args.values.get('limit')).toEqual(['5']);
    expect([...args.switches]).toEqual(['json']);
  });

  it('keeps a value that contains "=" and takes everything after -- as positionals', () => {
    const args = parseArgs(['--url=postgres://u:p=q@h/db?sslmode=require', 'incidents', 'show', '--', '--odd-id']);
    expect(args.values.get('url')).toEqual(['postgres://u:p=q@h/db?sslmode=require']);
    expect(args.positionals).toEqual(['incidents', 'show', '--odd-id']);
  });

  it('treats -h as --help', () => {
    expect(parseArgs(['-h']).switches.has('help')).toBe(true);
  });

  it.each([
    [['--nope'], /unknown option --nope/],
    [['-x'], /unknown option -x/],
    [['--url'], /--url needs a value/],
    [['--url', '--json'], /--url needs a value/],
    [['--cluster='], /--cluster needs a value/],
    [['--json=yes'], /--json does not take a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('option values', () => {
  it('parses integers within range only', () => {
    expect(parseInteger('limit', '0', 0)).toBe(0);
    expect(parseInteger('limit', '25', 0)).toBe(25);
    for (const bad of ['-1', '1.5', 'abc', '1e3', '', ' 3', '99999999999999999999']) {
      expect(() => parseInteger('limit', bad, 0)).toThrow(UsageError);
    }
    expect(() => parseInteger('steps', '0', 1)).toThrow(/--steps "0": expected an integer >= 1/);
  });

  it('parses comma-separated statuses and rejects unknown ones', () => {
    expect(parseStatuses(['resolved,failed', 'resolved'])).toEqual(['resolved', 'failed']);
    expect(() => parseStatuses(['resolved,done'])).toThrow(/invalid --status "done"/);
    expect(() => parseStatuses([','])).toThrow(UsageError);
  });

  it('parses ISO dates and date-times, UTC unless an offset is given', () => {
    expect(parseIsoDate('since', '2024-05-01').toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(parseIsoDate('since', '2024-05-01T12:30:00Z').toISOString()).toBe('2024-05-01T12:30:00.000Z');
    expect(parseIsoDate('since', '2024-05-01T12:30:00.123456Z').toISOString()).toBe('2024-05-01T12:30:00.123Z');
    expect(parseIsoDate('since', '2024-05-01T14:30+02:00').toISOString()).toBe('2024-05-01T12:30:00.000Z');
    expect(parseIsoDate('since', '2024-05-01T12:30:00').toISOString()).toBe('2024-05-01T12:30:00.000Z');
    expect(parseIsoDate('since', '2024-02-29').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseIsoDate('since', '0050-01-01').toISOString()).toBe('0050-01-01T00:00:00.000Z');
  });

  it.each(['yesterday', '2024-02-30', '2023-02-29', '2024-13-01', '2024-05-01T24:00:00Z', '2024-05-01T12:60Z', '1714560000', '2024-5-1'])(
    'rejects the date %j',
    (raw) => {
      expect(() => parseIsoDate('until', raw)).toThrow(UsageError);
    },
  );
});

describe('formatTable', () => {
  it('aligns columns, shows absent values as - and escapes control characters', () => {
    const table = formatTable(['A', 'LONGER', 'C'], [
      ['x', undefined, 'last'],
      ['wide value', 'line\nbreak', 7],
    ]);
    expect(table).toEqual([
      'A           LONGER       C',
      'x           -            last',
      'wide value  line\\nbreak  7',
    ]);
  });
});
