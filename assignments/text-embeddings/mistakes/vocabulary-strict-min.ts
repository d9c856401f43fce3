/** Keeps words occurring more than minCount times, not at least minCount. */
export function buildVocabulary(docs: string[][], minCount = 1): string[] {
  const counts = new Map<string, number>();
  for (const doc of docs) for (const token of doc) counts.set(token, (counts.get(token) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > minCount).map(([word]) => word).sort();
}
