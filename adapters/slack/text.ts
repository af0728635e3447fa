/**
 * Escapes user and engine text for mrkdwn. Only `&`, `<` and `>` are control characters
 * there; escaping them is what keeps `<!channel>` or `<@U123>` in a client's name from
 * pinging anyone (Slack: "Escaping text").
 */
export function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What the user typed, from the text Slack sends: message events and slash commands arrive
 * with `&`, `<` and `>` escaped, so "Smith & Sons" comes as "Smith &amp; Sons". Decoded once,
 * `&amp;` last, so a typed "&lt;" stays as typed.
 */
export function typedText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Cuts `text` to at most `max` characters, ending in an ellipsis. Cuts between code points,
 * never inside a surrogate pair, and does not leave half an `&amp;` entity behind.
 */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  let cut = chars.slice(0, Math.max(0, max - 1)).join('');
  cut = cut.replace(/&[a-z]{0,4}$/, '');
  return `${cut.trimEnd()}…`;
}

/**
 * Splits long text into pieces of at most `max` characters, at line breaks where possible,
 * so a long status or letter is shown whole over several blocks instead of being cut.
 */
export function chunk(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while ([...rest].length > max) {
    const head = [...rest].slice(0, max).join('');
    let at = head.lastIndexOf('\n');
    if (at < max / 2) at = head.lastIndexOf(' ');
    if (at < max / 2) at = head.length;
    // Never split an escaped entity such as `&amp;`.
    const entity = /&[a-z]{0,4}$/.exec(head.slice(0, at));
    if (entity) at -= entity[0].length;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest || out.length === 0) out.push(rest);
  return out;
}
