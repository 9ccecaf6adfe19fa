// Prose wrapped at word boundaries, for views that show sentences (findings, row details).

/** Words onto lines of `width`, the first line after `first`, the rest after `indent`. */
export function wrapWords(text: string, width: number, first: string, indent: string): string[] {
  const out: string[] = [];
  let line = first;
  let lead = first;
  for (const word of text.split(' ')) {
    const room = width - line.length;
    if (line.length > lead.length && word.length + 1 > room) {
      out.push(line);
      line = indent;
      lead = indent;
    }
    let w = word;
    // a word longer than a line (a path, a strace line) is cut across lines
    while (line.length + w.length > width && width - line.length > 8) {
      const take = width - line.length;
      out.push(line + w.slice(0, take));
      w = w.slice(take);
      line = indent;
      lead = indent;
    }
    line += (line.length > lead.length ? ' ' : '') + w;
  }
  out.push(line);
  return out;
}
