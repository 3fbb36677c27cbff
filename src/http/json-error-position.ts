// Finds where a JSON text first goes wrong, with Python's json module messages, because FastAPI reports
// invalid JSON as `loc: ["body", <char offset>]` with `ctx.error` taken from json.JSONDecodeError.
// Only called after JSON.parse has already failed, so speed does not matter here.

/** Position and message of the first JSON syntax error, as Python's json.loads would report it. */
export interface JsonErrorPosition {
  pos: number;
  msg: string;
}

class Fail extends Error {
  constructor(
    readonly pos: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);

/** Returns the first syntax error of `text`, or null when it is valid JSON. */
export function findJsonError(text: string): JsonErrorPosition | null {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WS.has(text[i])) i++;
  };

  const parseString = (): void => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const next = text[i + 1];
        if (next === undefined) break;
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fail(i, 'Invalid \\uXXXX escape');
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(next)) throw new Fail(i, 'Invalid \\escape');
        i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw new Fail(i, 'Invalid control character at');
      i++;
    }
    throw new Fail(start, 'Unterminated string starting at');
  };

  const parseNumber = (): boolean => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === '' || match[0] === '-') return false;
    i += match[0].length;
    return true;
  };

  const parseValue = (depth: number): void => {
    if (depth > 1000) throw new Fail(i, 'Maximum nesting depth exceeded');
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      skip();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') throw new Fail(i, 'Expecting property name enclosed in double quotes');
        parseString();
        skip();
        if (text[i] !== ':') throw new Fail(i, "Expecting ':' delimiter");
        i++;
        parseValue(depth + 1);
        skip();
        if (text[i] === '}') {
          i++;
          return;
        }
        if (text[i] !== ',') throw new Fail(i, "Expecting ',' delimiter");
        i++;
      }
    }
    if (c === '[') {
      i++;
      skip();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        parseValue(depth + 1);
        skip();
        if (text[i] === ']') {
          i++;
          return;
        }
        if (text[i] !== ',') throw new Fail(i, "Expecting ',' delimiter");
        i++;
      }
    }
    if (c === '"') {
      parseString();
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    if (parseNumber()) return;
    throw new Fail(i, 'Expecting value');
  };

  try {
    parseValue(0);
    skip();
    if (i < text.length) throw new Fail(i, 'Extra data');
    return null;
  } catch (error) {
    if (error instanceof Fail) return { pos: error.pos, msg: error.reason };
    throw error;
  }
}
