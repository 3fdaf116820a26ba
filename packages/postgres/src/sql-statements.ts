/**
 * The statements of a SQL script, each without its trailing semicolon, comments and blank lines
 * between them dropped. Written by hand because it only has to read our own migration files:
 * `--` comments, single-quoted strings and double-quoted names; a dollar-quoted body (`$$ … $$`)
 * or a block comment is refused rather than risk splitting it wrong.
 */
export function sqlStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let index = 0;
  while (index < script.length) {
    const char = script[index] as string;
    const next = script[index + 1];
    if (char === '-' && next === '-') {
      const end = script.indexOf('\n', index);
      index = end === -1 ? script.length : end + 1;
      current += '\n';
    } else if (char === "'" || char === '"') {
      const end = closingQuote(script, index);
      current += script.slice(index, end + 1);
      index = end + 1;
    } else if ((char === '$' && next === '$') || (char === '/' && next === '*')) {
      throw new Error(`sqlStatements: dollar quotes and block comments are not supported (at offset ${index})`);
    } else if (char === ';') {
      if (current.trim() !== '') statements.push(current.trim());
      current = '';
      index += 1;
    } else {
      current += char;
      index += 1;
    }
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}

/** Where the quote opened at `start` closes; a doubled quote inside stands for itself. */
function closingQuote(script: string, start: number): number {
  const quote = script[start] as string;
  let index = start + 1;
  for (;;) {
    const end = script.indexOf(quote, index);
    if (end === -1) throw new Error(`sqlStatements: unterminated ${quote} quote (at offset ${start})`);
    if (script[end + 1] !== quote) return end;
    index = end + 2;
  }
}
