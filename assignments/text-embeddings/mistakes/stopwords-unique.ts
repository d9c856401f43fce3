/** Each remaining word is kept once: repeats are lost. */
export function removeStopWords(tokens: string[], stopWords: string[]): string[] {
  const stop = new Set(stopWords);
  return [...new Set(tokens.filter((token) => !stop.has(token)))];
}
