// The subset of Python literals a .npy header is written in (numpy's `repr` of a dict): dicts, tuples,
// lists, strings, ints, True/False/None. numpy itself reads the header with ast.literal_eval; this is
// the same grammar, small enough to hand-write. Throws a plain Error with the position; the .npy reader
// turns it into a UsageError that names the file.

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

export function parsePyLiteral(text: string): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i}`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === '{') return dict();
    if (c === '(' || c === '[') return seq(c === '(' ? ')' : ']');
    if (c === "'" || c === '"') return str();
    const word = /^(True|False|None|-?\d+)/.exec(text.slice(i));
    if (!word) return fail(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`);
    i += word[0].length;
    return word[0] === 'True' ? true : word[0] === 'False' ? false : word[0] === 'None' ? null : Number(word[0]);
  };
  const str = (): string => {
    const q = text[i++];
    let out = '';
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\') i++;
      out += text[i++];
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return out;
  };
  const seq = (close: string): PyValue[] => {
    i++;
    const out: PyValue[] = [];
    for (;;) {
      ws();
      if (text[i] === close) break;
      out.push(value());
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== close) fail(`expected ',' or '${close}'`);
    }
    i++;
    return out;
  };
  const dict = (): { [key: string]: PyValue } => {
    i++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      ws();
      if (text[i] === '}') break;
      const k = value();
      if (typeof k !== 'string') fail('dict key is not a string');
      ws();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      out[k as string] = value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') fail("expected ',' or '}'");
    }
    i++;
    return out;
  };
  const v = value();
  ws();
  if (i < text.length) fail('trailing text');
  return v;
}
