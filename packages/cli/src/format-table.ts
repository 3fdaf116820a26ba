import stringWidth from 'string-width';

const COLUMN_GAP = '  ';

/**
 * A cell safe to print on one terminal line: control characters (newlines, tabs, escape sequences
 * that could repaint the terminal) are shown escaped, and an empty value as `-`.
 */
export function displayCell(value: string | number | undefined): string {
  if (value === undefined) return '-';
  const text = String(value);
  if (text === '') return '-';
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Terminal columns `text` takes: 2 for a CJK character or an emoji, 0 for a combining mark. */
function width(text: string): number {
  return stringWidth(text);
}

/** `text` padded with spaces to `columns` display columns. */
function padToWidth(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - width(text)));
}

/**
 * Rows under a header, each column as wide as its widest cell in display columns (string-width:
 * CJK and emoji take two), two spaces apart, no trailing whitespace. Returns the lines without newlines.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string[] {
  const cells = [headers.map((h) => displayCell(h)), ...rows.map((row) => headers.map((_h, i) => displayCell(row[i])))];
  const widths = headers.map((_h, column) => Math.max(...cells.map((row) => width(row[column] as string))));
  return cells.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : padToWidth(cell, widths[column] as number)))
      .join(COLUMN_GAP)
      .trimEnd(),
  );
}

/** `label  value` pairs with the values lined up. */
export function formatFields(fields: readonly (readonly [string, string | number | undefined])[]): string[] {
  const labelWidth = Math.max(0, ...fields.map(([label]) => width(label)));
  return fields.map(([label, value]) => `${padToWidth(label, labelWidth)}${COLUMN_GAP}${displayCell(value)}`.trimEnd());
}
