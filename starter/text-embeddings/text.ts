// text-embeddings — your implementation goes here.
//
// Rules of the game:
//   • Matrices are plain nested arrays: M[i][j] is row i, column j.
//   • Return NEW arrays; never modify an argument (the caller may reuse it).
//   • You may import `ml-matrix` (it has an SVD), `seedrandom` and `@tensorflow/tfjs`. Any
//     correct method gets full marks: signs of singular vectors are free, and ties may come out
//     of your arithmetic in any order that rounding allows.
//   • Keep the signatures exactly as they are.
// Run `npm run grade -- text-embeddings` to check your work.

export type Matrix = number[][];

/**
 * Lower-case the text (`toLowerCase()`), then return its tokens in order: the maximal matches of the
 * regular expression [a-z]+(?:'[a-z]+)* (flag g) — runs of letters a–z, possibly joined by single apostrophes inside a word
 * ("don't", "o'clock"). Everything else (digits, punctuation, accented letters, a leading or
 * trailing apostrophe) separates tokens.
 */
export function tokenize(text: string): string[] {
  throw new Error('not implemented: tokenize');
}

/** The tokens that are not in `stopWords`, in their original order (repeats kept). */
export function removeStopWords(tokens: string[], stopWords: string[]): string[] {
  throw new Error('not implemented: removeStopWords');
}

/**
 * The vocabulary: every word whose total number of occurrences over all documents is at least
 * `minCount`, each once, sorted in JavaScript's default order (`.sort()` without a comparator).
 */
export function buildVocabulary(docs: string[][], minCount = 1): string[] {
  throw new Error('not implemented: buildVocabulary');
}

/**
 * The term–document matrix X (documents × words): X[i][j] is the number of times
 * vocabulary[j] occurs in docs[i]. Tokens that are not in the vocabulary are ignored.
 */
export function termDocumentMatrix(docs: string[][], vocabulary: string[]): Matrix {
  throw new Error('not implemented: termDocumentMatrix');
}

/**
 * Latent semantic analysis with k dimensions. From the thin SVD X = UΣVᵀ (σ₁ ≥ σ₂ ≥ …):
 *   documentVectors = U_k·Σ_k   (n×k, one row per document)
 *   wordVectors     = V_k       (d×k, one row per word)
 *   singularValues  = σ₁ … σ_k
 * (So documentVectors = X·wordVectors.) Do not centre X.
 */
export function lsa(X: Matrix, k: number): { documentVectors: Matrix; wordVectors: Matrix; singularValues: number[] } {
  throw new Error('not implemented: lsa');
}

/** a·b / (‖a‖·‖b‖), or 0 when either vector is all zeros. */
export function cosineSimilarity(a: number[], b: number[]): number {
  throw new Error('not implemented: cosineSimilarity');
}

/**
 * The indices of the `topN` rows of `vectors` with the largest cosine similarity to `query`,
 * most similar first; rows with equal similarity go in increasing index order. (All indices when
 * topN exceeds the number of rows.)
 */
export function mostSimilar(vectors: Matrix, query: number[], topN: number): number[] {
  throw new Error('not implemented: mostSimilar');
}

/**
 * The word–word co-occurrence matrix (vocabulary × vocabulary). For every sentence and every two
 * positions i < j with j − i ≤ window whose tokens are both in the vocabulary, add 1 to
 * C[a][b] and 1 to C[b][a] (a, b the two words' indices; a word next to itself adds 2 to C[a][a]).
 * Tokens outside the vocabulary still take up their positions; they are just not counted.
 * Windows never cross from one sentence into the next.
 */
export function cooccurrenceMatrix(sentences: string[][], vocabulary: string[], window: number): Matrix {
  throw new Error('not implemented: cooccurrenceMatrix');
}

/**
 * Positive pointwise mutual information: PPMI[i][j] = max(0, ln(C[i][j]·N / (row_i·col_j))), where
 * row_i is the sum of row i, col_j the sum of column j and N the sum of all entries; 0 where
 * C[i][j] = 0. (Natural logarithm.)
 */
export function ppmi(C: Matrix): Matrix {
  throw new Error('not implemented: ppmi');
}

/**
 * Word embeddings from a (symmetric) word–word matrix M: from its SVD M = UΣVᵀ, the rows of
 * U_k·sqrt(Σ_k) — column j of U scaled by the square root of σ_j. Row i embeds word i.
 */
export function wordEmbeddings(M: Matrix, k: number): Matrix {
  throw new Error('not implemented: wordEmbeddings');
}

/**
 * "a is to b as c is to ?": the `topN` vocabulary words whose embeddings have the largest cosine
 * similarity to e(b) − e(a) + e(c), most similar first, never a, b or c themselves; equal
 * similarities in increasing index order. a, b and c are in the vocabulary.
 */
export function analogy(embeddings: Matrix, vocabulary: string[], a: string, b: string, c: string, topN = 1): string[] {
  throw new Error('not implemented: analogy');
}

/**
 * A sentence as one vector: the mean of the embeddings of its tokens that are in the vocabulary
 * and are not stop words (a token that occurs twice counts twice). The zero vector (of the
 * embeddings' width) when no token remains.
 */
export function sentenceFeatures(tokens: string[], embeddings: Matrix, vocabulary: string[], stopWords: string[]): number[] {
  throw new Error('not implemented: sentenceFeatures');
}
