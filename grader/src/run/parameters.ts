/**
 * The parameter names of a function, read from its source (`Function.prototype.toString`),
 * for messages that name an argument. A parameter that is not a plain name (a destructuring
 * pattern) and anything unreadable comes back as undefined. Used on reference solutions only:
 * trusted code whose source the grader already holds.
 */
export function parameterNames(fn: (...args: never[]) => unknown): Array<string | undefined> {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return [];
  }
  // `function f(a, b = 1) {`, `async (a, b) => …`, `f(a, b) {` (a method). References are
  // TypeScript, which esbuild (tsx) prints with parentheses around every arrow's parameters.
  const open = source.indexOf('(');
  if (open < 0) return [];
  const names: Array<string | undefined> = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' && depth === 0) {
      if (source.slice(start, i).trim()) names.push(nameOf(source.slice(start, i)));
      return names;
    } else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      names.push(nameOf(source.slice(start, i)));
      start = i + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      // Skip a string in a default value (it may hold brackets or commas).
      const close = source.indexOf(c, i + 1);
      if (close < 0) return names;
      i = close;
    }
  }
  return names;
}

function nameOf(parameter: string): string | undefined {
  return /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)\s*(?:=|$)/.exec(parameter)?.[1];
}
