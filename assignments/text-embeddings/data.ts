/**
 * Inputs for `text-embeddings`: small generated texts, corpora and matrices for the unit cases,
 * and the State of the Union addresses prepared once for the task-level cases (tokenized, stop
 * words removed, split into sentences).
 *
 * The corpus tools here are the grader's own, not the reference's: inputs are built the same way
 * in the student copy `mlgrade export` makes, where the reference is not available (its calls
 * would have to be recorded, and the addresses alone are 63,000 sentences).
 * text-embeddings-checks.test.ts checks they agree with the reference.
 */
import type { Rng } from '../../grader/src/cases/rng.ts';
import { englishStopWords, sentences, sotuSpeeches, type Speech } from '../../grader/src/data/sotu.ts';
import type { Matrix } from '../../grader/src/linalg/dense.ts';

// ── the grader's corpus tools ───────────────────────────────────────────────────────────────

/** The tokens of a text: lower-cased, maximal runs of a–z joined by inner apostrophes. */
export function words(text: string): string[] {
  return Array.from(text.toLowerCase().matchAll(/[a-z]+(?:'[a-z]+)*/g), (match) => match[0]);
}

/** Every word used at least `minCount` times in all, in JavaScript's default order. */
export function wordsUsed(docs: readonly string[][], minCount: number): string[] {
  const uses = new Map<string, number>();
  docs.flat().forEach((word) => uses.set(word, 1 + (uses.get(word) ?? 0)));
  return [...uses.keys()].filter((word) => uses.get(word)! >= minCount).sort();
}

/** Documents × words counts. */
export function countsPerDocument(docs: readonly string[][], vocabulary: readonly string[]): Matrix {
  const column = new Map(vocabulary.map((word, j) => [word, j]));
  return docs.map((doc) => {
    const counts = vocabulary.map(() => 0);
    doc.forEach((word) => {
      if (column.has(word)) counts[column.get(word)!]++;
    });
    return counts;
  });
}

/** Words × words counts of pairs 1 … window apart within a sentence, both orders. */
export function pairCounts(sentences: readonly string[][], vocabulary: readonly string[], window: number): Matrix {
  const column = new Map(vocabulary.map((word, j) => [word, j]));
  const C = vocabulary.map(() => vocabulary.map(() => 0));
  for (const sentence of sentences) {
    sentence.forEach((word, i) => {
      const a = column.get(word);
      if (a === undefined) return;
      for (let distance = 1; distance <= window && i + distance < sentence.length; distance++) {
        const b = column.get(sentence[i + distance]);
        if (b === undefined) continue;
        C[a][b]++;
        C[b][a]++;
      }
    });
  }
  return C;
}

/** max(0, ln(C_ij·N / (r_i·c_j))), 0 where C_ij = 0. */
export function positivePmi(C: Matrix): Matrix {
  const rowSums = C.map((row) => row.reduce((sum, c) => sum + c, 0));
  const colSums = C.map((_, j) => C.reduce((sum, row) => sum + row[j], 0));
  const N = rowSums.reduce((sum, r) => sum + r, 0);
  return C.map((row, i) => row.map((c, j) => (c === 0 ? 0 : Math.max(0, Math.log(c) + Math.log(N) - Math.log(rowSums[i]) - Math.log(colSums[j])))));
}

/** Words for generated corpora: a few with inner apostrophes, a few that are stop words. */
export const WORDS = [
  'army', 'navy', 'peace', 'war', 'tax', 'budget', 'debt', 'trade', 'law', 'court',
  'people', 'nation', "nation's", 'states', 'union', 'congress', "don't", "o'clock", 'the', 'and',
  'of', 'we', 'it', "it's", 'jobs', 'school', 'farm', 'coal', 'ships', 'gold',
];

/** Pieces of text that a tokenizer must split correctly: case, apostrophes, digits, accents, dashes. */
const PIECES = [
  "Don't", "O'Clock", "'quoted'", "nation's", "states'", "rock'n'roll", "a''b", "''", 'HELLO', 'World', '1776', 'x2y', 'café', 'naïve',
  'well-being', 'e-mail', 'U.S.', '$4.5', 'Mr.', '—', '(Applause.)', 'tab\there', 'new\nline', 'end.', '!?', "can't", "it's", 'ok',
];

/** Random text built from PIECES and WORDS, with spaces, punctuation and line breaks between them. */
export function randomText(rng: Rng, pieces: number): string {
  const separators = [' ', ' ', ' ', ', ', '. ', '\n', ';', ' - ', '"'];
  let text = '';
  for (let i = 0; i < pieces; i++) {
    const piece = rng.next() < 0.5 ? rng.pick(PIECES) : rng.pick(WORDS);
    text += (rng.next() < 0.2 ? piece.toUpperCase() : piece) + rng.pick(separators);
  }
  return text;
}

/**
 * `count` documents of `minLength`…`maxLength` tokens drawn from `words` with Zipf-like
 * frequencies (word i with weight 1/(i + 1)), so that counts vary from word to word.
 */
export function randomDocs(rng: Rng, words: readonly string[], count: number, minLength: number, maxLength: number): string[][] {
  const weights = words.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const draw = (): string => {
    let u = rng.next() * total;
    for (const [i, w] of weights.entries()) {
      u -= w;
      if (u < 0) return words[i];
    }
    return words[words.length - 1];
  };
  return Array.from({ length: count }, () => Array.from({ length: rng.int(minLength, maxLength) }, draw));
}

/** The words of WORDS in a random order: a different Zipf ranking in every case. */
export function shuffledWords(rng: Rng): string[] {
  const words = [...WORDS];
  for (let i = words.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [words[i], words[j]] = [words[j], words[i]];
  }
  return words;
}

/** A random n×d matrix of small counts (0–5, about half zeros), like a term–document matrix. */
export function countMatrix(rng: Rng, n: number, d: number): Matrix {
  return rng.matrix(n, d, () => (rng.next() < 0.5 ? 0 : rng.int(1, 5)));
}

/** A random symmetric v×v matrix of co-occurrence counts (0–9, about a third zeros, every row with a count). */
export function symmetricCounts(rng: Rng, v: number): Matrix {
  const C = Array.from({ length: v }, () => new Array<number>(v).fill(0));
  for (let i = 0; i < v; i++) {
    for (let j = i; j < v; j++) {
      const c = rng.next() < 0.35 ? 0 : rng.int(1, 9);
      C[i][j] = c;
      C[j][i] = c;
    }
    if (C[i].every((c) => c === 0)) C[i][i] = 2;
  }
  return C;
}

/**
 * n vectors of length k and a query, with exact ties: some rows repeat an earlier row, or are an
 * earlier row times a power of two (their cosines with any query are then equal to the last bit,
 * whatever the order of the arithmetic), one row is zero and one is the query itself.
 */
export function tiedVectors(rng: Rng, n: number, k: number): { vectors: Matrix; query: number[] } {
  const query = rng.vector(k, () => rng.int(-4, 4));
  const vectors: Matrix = [];
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    if (i > 1 && u < 0.3) {
      const source = vectors[rng.int(0, i - 1)];
      const scale = rng.pick([1, 2, 4, 0.5]);
      vectors.push(source.map((x) => x * scale));
    } else vectors.push(rng.vector(k, () => rng.int(-4, 4)));
  }
  vectors[rng.int(0, n - 1)] = new Array<number>(k).fill(0);
  vectors[rng.int(0, n - 1)] = [...query];
  return { vectors, query };
}

// ── the State of the Union ─────────────────────────────────────────────────────────────────

/** One address prepared for the cases: its tokens without stop words, and the same split into sentences. */
export interface PreparedSpeech extends Omit<Speech, 'text'> {
  tokens: string[];
  sentences: string[][];
}

let prepared: PreparedSpeech[] | undefined;

/** Every address, tokenized by the reference with the package's stop words removed (about 0.8 s, once per process). */
export function sotu(): PreparedSpeech[] {
  if (!prepared) {
    const stop = englishStopWords();
    prepared = sotuSpeeches().map(({ text, ...speech }) => {
      const stopSet = new Set(stop);
      const split = sentences(text)
        .map((sentence) => words(sentence).filter((word) => !stopSet.has(word)))
        .filter((sentence) => sentence.length > 0);
      return { ...speech, tokens: split.flat(), sentences: split };
    });
  }
  return prepared;
}

/**
 * The co-occurrence vocabulary: the 502 words that occur at least 300 times in the addresses
 * (stop words removed). A 502×502 matrix keeps a student's SVD with ml-matrix near 2 s.
 */
export const WORD_MIN_COUNT = 300;
/** The LSA vocabulary: the 1006 words that occur at least 170 times (233 documents × 1006 words). */
export const LSA_MIN_COUNT = 170;

const vocabularies = new Map<number, string[]>();
export function sotuVocabulary(minCount: number): string[] {
  let vocabulary = vocabularies.get(minCount);
  if (!vocabulary) {
    vocabulary = wordsUsed(sotu().map((speech) => speech.tokens), minCount);
    vocabularies.set(minCount, vocabulary);
  }
  return vocabulary;
}

/** A random share of the addresses (each kept with probability `keep`), in order. */
export function someSpeeches(rng: Rng, keep: number): PreparedSpeech[] {
  return sotu().filter(() => rng.next() < keep);
}

/**
 * Word groups the embeddings of the addresses should keep together, all in the 502-word
 * vocabulary. (Number words, family words and "may" are stop words in the package's list, so
 * they are not used.)
 */
export const WORD_GROUPS: Readonly<Record<string, readonly string[]>> = {
  military: ['army', 'navy', 'war', 'military', 'troops', 'forces', 'officers', 'defense', 'naval'],
  finance: ['revenue', 'taxes', 'treasury', 'debt', 'expenditures', 'receipts', 'budget', 'tax', 'appropriations', 'dollars'],
  months: ['march', 'june', 'july'],
  countries: ['mexico', 'britain', 'spain', 'china', 'france'],
  family: ['children', 'families', 'women', 'family'],
  economy: ['jobs', 'economy', 'workers', 'energy', 'health', 'education'],
};
