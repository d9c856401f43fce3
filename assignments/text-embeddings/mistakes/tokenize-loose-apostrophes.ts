/** Apostrophes anywhere belong to the token: "'quoted'" keeps its quotes. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z']*[a-z][a-z']*/g) ?? [];
}
