/**
 * The statements of a MySQL migration script: each ends with `;` at the end of a line, and lines
 * that are only a `--` comment are dropped (so a comment may end with `;`). The migrations of this
 * package follow that form; it needs no SQL parser, as no statement of ours holds a `;` at a line's end.
 */
export function splitStatements(script: string): string[] {
  const withoutComments = script
    .split('\n')
    .filter((line) => !/^\s*--/.test(line))
    .join('\n');
  return withoutComments
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
