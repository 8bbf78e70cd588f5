/**
 * Greedy word wrap for the terminal renderings (reports, thread tables, listings).
 *
 * Invariants: every returned line is at most `width` characters (a word longer than that is
 * cut into pieces); words keep their order and single spaces join them; at least one line.
 */

/** Wrap `text` (words separated by spaces) into lines of at most `width` characters. */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (line !== '' && line.length + 1 + word.length > w) {
      out.push(line);
      line = '';
    }
    line = line === '' ? word : `${line} ${word}`;
    while (line.length > w) {
      out.push(line.slice(0, w));
      line = line.slice(w);
    }
  }
  if (line !== '') out.push(line);
  return out.length === 0 ? [''] : out;
}
