// text-embeddings: the reference solution. Students never see this file.
import { Matrix as MlMatrix, SVD } from 'ml-matrix';

export type Matrix = number[][];

/** Lower-case, then every maximal run of letters a–z with inner apostrophes ("don't", "o'clock"). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+(?:'[a-z]+)*/g) ?? [];
}

/** The tokens that are not stop words, in order. */
export function removeStopWords(tokens: string[], stopWords: string[]): string[] {
  const stop = new Set(stopWords);
  return tokens.filter((token) => !stop.has(token));
}

/** The words occurring at least `minCount` times over all documents, sorted (JavaScript's default order). */
export function buildVocabulary(docs: string[][], minCount = 1): string[] {
  const counts = new Map<string, number>();
  for (const doc of docs) for (const token of doc) counts.set(token, (counts.get(token) ?? 0) + 1);
  return [...counts].filter(([, count]) => count >= minCount).map(([word]) => word).sort();
}

/** X[i][j]: how often vocabulary word j occurs in document i. */
export function termDocumentMatrix(docs: string[][], vocabulary: string[]): Matrix {
  const index = new Map(vocabulary.map((word, j) => [word, j]));
  return docs.map((doc) => {
    const row = new Array<number>(vocabulary.length).fill(0);
    for (const token of doc) {
      const j = index.get(token);
      if (j !== undefined) row[j] += 1;
    }
    return row;
  });
}

/** Latent semantic analysis: from the thin SVD X = UΣVᵀ, U_kΣ_k (one row per document) and V_k (one row per word). */
export function lsa(X: Matrix, k: number): { documentVectors: Matrix; wordVectors: Matrix; singularValues: number[] } {
  const svd = new SVD(new MlMatrix(X), { autoTranspose: true });
  const U = svd.leftSingularVectors.to2DArray();
  const V = svd.rightSingularVectors.to2DArray();
  const S = svd.diagonal.slice(0, k);
  return {
    documentVectors: U.map((row) => S.map((s, j) => row[j] * s)),
    wordVectors: V.map((row) => row.slice(0, k)),
    singularValues: S,
  };
}

/** a·b / (‖a‖‖b‖); 0 when either vector is zero. */
export function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}

/** The indices of the topN rows most similar to the query by cosine, most similar first; ties to the lower index. */
export function mostSimilar(vectors: Matrix, query: number[], topN: number): number[] {
  const scores = vectors.map((row) => cosineSimilarity(row, query));
  return scores
    .map((_, i) => i)
    .sort((i, j) => scores[j] - scores[i] || i - j)
    .slice(0, topN);
}

/** C[a][b]: how often words a and b of the vocabulary stand 1 … window positions apart in a sentence (symmetric). */
export function cooccurrenceMatrix(sentences: string[][], vocabulary: string[], window: number): Matrix {
  const index = new Map(vocabulary.map((word, j) => [word, j]));
  const C: Matrix = vocabulary.map(() => new Array<number>(vocabulary.length).fill(0));
  for (const sentence of sentences) {
    const ids = sentence.map((token) => index.get(token));
    for (let i = 0; i < ids.length; i++) {
      const a = ids[i];
      if (a === undefined) continue;
      for (let j = i + 1; j <= Math.min(ids.length - 1, i + window); j++) {
        const b = ids[j];
        if (b === undefined) continue;
        C[a][b] += 1;
        C[b][a] += 1;
      }
    }
  }
  return C;
}

/** Positive pointwise mutual information: max(0, log(C_ij·N / (row_i·col_j))) with N the sum of all counts; 0 where C_ij = 0. */
export function ppmi(C: Matrix): Matrix {
  const rows = C.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = C[0].map((_, j) => C.reduce((sum, row) => sum + row[j], 0));
  const total = rows.reduce((a, b) => a + b, 0);
  return C.map((row, i) => row.map((c, j) => (c > 0 ? Math.max(0, Math.log((c * total) / (rows[i] * cols[j]))) : 0)));
}

/** From the SVD M = UΣVᵀ, the rows of U_k·sqrt(Σ_k): one k-dimensional embedding per word. */
export function wordEmbeddings(M: Matrix, k: number): Matrix {
  const svd = new SVD(new MlMatrix(M), { computeRightSingularVectors: false, autoTranspose: false });
  const U = svd.leftSingularVectors.to2DArray();
  const S = svd.diagonal;
  return U.map((row) => Array.from({ length: k }, (_, j) => row[j] * Math.sqrt(S[j])));
}

/** The topN words nearest by cosine to b − a + c ("a is to b as c is to …"), a, b and c excluded; ties to the lower index. */
export function analogy(embeddings: Matrix, vocabulary: string[], a: string, b: string, c: string, topN = 1): string[] {
  const row = (word: string): number[] => {
    const i = vocabulary.indexOf(word);
    if (i < 0) throw new Error(`analogy: "${word}" is not in the vocabulary`);
    return embeddings[i];
  };
  const [ea, eb, ec] = [row(a), row(b), row(c)];
  const target = eb.map((x, j) => x - ea[j] + ec[j]);
  const excluded = new Set([a, b, c]);
  return mostSimilar(embeddings, target, embeddings.length)
    .filter((i) => !excluded.has(vocabulary[i]))
    .slice(0, topN)
    .map((i) => vocabulary[i]);
}

/** The mean embedding of the tokens that are in the vocabulary and not stop words; zeros when there are none. */
export function sentenceFeatures(tokens: string[], embeddings: Matrix, vocabulary: string[], stopWords: string[]): number[] {
  const index = new Map(vocabulary.map((word, j) => [word, j]));
  const stop = new Set(stopWords);
  const k = embeddings[0]?.length ?? 0;
  const sum = new Array<number>(k).fill(0);
  let count = 0;
  for (const token of tokens) {
    const i = index.get(token);
    if (i === undefined || stop.has(token)) continue;
    for (let j = 0; j < k; j++) sum[j] += embeddings[i][j];
    count += 1;
  }
  return count === 0 ? sum : sum.map((x) => x / count);
}
