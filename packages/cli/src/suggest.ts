import { distance } from 'fastest-levenshtein';

/**
 * `; did you mean "migrate"?` for the candidate closest to a mistyped `word`, or '' when none is
 * close: at most two edits away and fewer edits than the word has letters, so that typos such as
 * `lsit` or `migarte` find their command while an unrelated word suggests nothing.
 */
export function suggestion(word: string, candidates: readonly string[], spell: (candidate: string) => string = (c) => c): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const edits = distance(word.toLowerCase(), candidate.toLowerCase());
    if (edits < bestDistance) {
      best = candidate;
      bestDistance = edits;
    }
  }
  const close = bestDistance <= Math.min(2, word.length - 1);
  return best !== undefined && close ? `; did you mean ${JSON.stringify(spell(best))}?` : '';
}
