/** Letters of either case are matched, and the tokens keep their capitals. */
export function tokenize(text: string): string[] {
  return text.match(/[a-zA-Z]+(?:'[a-zA-Z]+)*/g) ?? [];
}
