/** Apostrophes separate tokens: "don't" becomes "don" and "t". */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}
