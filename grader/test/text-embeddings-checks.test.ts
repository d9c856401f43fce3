/**
 * The check code of assignments/text-embeddings: the functions of checks.ts with their
 * boundaries pinned, every problem's check on contexts built like grading builds them, and the
 * detectors of the mistakes that are not `sameAs` a mistake file. (`mlgrade check`, which
 * `npm test` runs, replays the whole pipeline for the reference on 50 student ids and for each
 * declared mistake on every case of its problem.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import assignment, { lsaPoints, NEIGHBOUR_WORDS, nearestWords } from '../../assignments/text-embeddings/assignment.ts';
import {
  checkCountMatrix,
  checkLsa,
  checkRanking,
  checkStrings,
  checkWordEmbeddings,
  ERA_SHARE,
  ERA_SPAN,
  FACTOR_TOLERANCE,
  GROUP_MARGIN,
  groupSimilarities,
  hasGap,
  nearestWithinYears,
  ordinal,
  RANK_TOLERANCE,
  spectrum,
  SPECTRA_KEPT,
  sureTie,
  worstInnerProduct,
} from '../../assignments/text-embeddings/checks.ts';
import {
  countsPerDocument,
  LSA_MIN_COUNT,
  pairCounts,
  positivePmi,
  randomDocs,
  randomText,
  someSpeeches,
  sotu,
  sotuVocabulary,
  symmetricCounts,
  tiedVectors,
  WORD_GROUPS,
  WORD_MIN_COUNT,
  words,
  WORDS,
  wordsUsed,
} from '../../assignments/text-embeddings/data.ts';
import * as reference from '../../solutions/text-embeddings/text.ts';
import type { CheckContext } from '../src/assignment/define.ts';
import { createRng } from '../src/cases/rng.ts';
import { englishStopWords, sentences, sotuSpeeches } from '../src/data/sotu.ts';
import { formatNumber } from '../src/checks/allclose.ts';
import { singularValues } from '../src/linalg/svd.ts';
import { chartTexts, markTexts, problemTools, PROJECT_ROOT } from './helpers.ts';

type Ctx = CheckContext<unknown[], unknown>;
type Matrix = number[][];

const { problemOf, contextOf, detector } = problemTools(assignment);
const check = (problem: string, ctx: Ctx) => problemOf(problem).check(ctx);

describe('the data', () => {
  it('233 addresses from 1790 to 2021 with typographic apostrophes made ASCII; 301 stop words', () => {
    const speeches = sotuSpeeches();
    expect(speeches).toHaveLength(233);
    expect([speeches[0].year, speeches[0].name, speeches.at(-1)!.year]).toEqual([1790, 'George Washington', 2021]);
    expect(speeches.some((s) => s.text.includes('’'))).toBe(false);
    expect(speeches.at(-1)!.text).toContain("it's good to be almost home");
    const stop = englishStopWords();
    expect(stop).toHaveLength(301);
    expect(stop.slice(0, 3)).toEqual(['a', 'about', 'above']);
    // Fresh copies: a caller may change what it gets.
    stop[0] = 'zzz';
    expect(englishStopWords()[0]).toBe('a');
  });

  it('sentences split after . ! ? and white space, and at blank lines', () => {
    expect(sentences('One. Two!  Three? four\n\nFive 3.5 six.')).toEqual(['One.', 'Two!', 'Three?', 'four', 'Five 3.5 six.']);
    expect(sentences('  ')).toEqual([]);
  });

  it('the vocabularies: 502 words used at least 300 times, 1006 used at least 170 times; every word group is in the first', () => {
    expect(sotuVocabulary(WORD_MIN_COUNT)).toHaveLength(502);
    expect(sotuVocabulary(LSA_MIN_COUNT)).toHaveLength(1006);
    const vocabulary = new Set(sotuVocabulary(WORD_MIN_COUNT));
    expect(Object.values(WORD_GROUPS).flat().filter((w) => !vocabulary.has(w))).toEqual([]);
    const stop = new Set(englishStopWords());
    expect(Object.values(WORD_GROUPS).flat().filter((w) => stop.has(w))).toEqual([]);
    expect(sotu().reduce((sum, s) => sum + s.tokens.length, 0)).toBeGreaterThan(700_000);
  });

  it("the grader's corpus tools agree with the reference (they build the inputs where the reference is not available)", () => {
    const rng = createRng('tools');
    for (let t = 0; t < 20; t++) {
      const text = randomText(rng, 60);
      expect(words(text)).toEqual(reference.tokenize(text));
      const docs = randomDocs(rng, WORDS, rng.int(1, 8), 0, 20);
      const minCount = rng.int(1, 4);
      const vocabulary = wordsUsed(docs, minCount);
      expect(vocabulary).toEqual(reference.buildVocabulary(docs, minCount));
      expect(countsPerDocument(docs, vocabulary)).toEqual(reference.termDocumentMatrix(docs, vocabulary));
      const window = rng.int(1, 5);
      expect(pairCounts(docs, WORDS.slice(0, 20), window)).toEqual(reference.cooccurrenceMatrix(docs, WORDS.slice(0, 20), window));
      const C = symmetricCounts(rng, 12);
      positivePmi(C).forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(reference.ppmi(C)[i][j], 12)));
    }
  });

  it('tiedVectors plants exact ties; symmetricCounts is symmetric with a count in every row', () => {
    const { vectors, query } = tiedVectors(createRng('ties'), 30, 4);
    expect(vectors.some((v) => v.every((x) => x === 0))).toBe(true);
    expect(vectors.some((v) => v.every((x, j) => x === query[j]))).toBe(true);
    expect(vectors.some((v, i) => vectors.some((w, j) => j < i && sureTie(w, v)))).toBe(true);
    const C = symmetricCounts(createRng('counts'), 9);
    expect(C.every((row, i) => row.every((c, j) => c === C[j][i]) && row.some((c) => c > 0))).toBe(true);
  });

  it('the handout states the thresholds the checks use', () => {
    const handout = readFileSync(path.join(PROJECT_ROOT, 'assignments/text-embeddings/handout.md.hbs'), 'utf8');
    expect(handout).toContain(`at least ${100 * ERA_SHARE} % of the addresses`);
    expect(handout).toContain(`within ${ERA_SPAN} years`);
    expect(handout).toContain(`by at least ${GROUP_MARGIN}.`);
    for (const name of ['lsa', 'wordEmbeddings']) expect(handout).toContain(`${problemOf(name).timeoutMs! / 1000} s of CPU time`);
  });
});

describe('checkStrings and checkCountMatrix', () => {
  it('name the first difference, what came before it, and the lengths', () => {
    expect(checkStrings(['a', 'b'], ['a', 'b'], 'tokens')).toEqual({ score: 1, message: '2 tokens' });
    expect(checkStrings(['a', 'x', 'c'], ['a', 'b', 'c'], 'tokens')).toMatchObject({ score: 0, message: 'tokens differ at position 1 (after "a"): expected "b", got "x"; 3 tokens returned, 3 expected' });
    expect(checkStrings(['a', 'b'], ['a', 'b', 'c'], 'words').message).toBe('words differ at position 2 (after "a", "b"): expected "c", got nothing; 2 words returned, 3 expected');
    expect(checkStrings(['q', 'a', 'b', 'c', 'd'], ['q', 'a', 'b', 'c'], 'words').message).toBe('words differ at position 4 (after "a", "b", "c"): expected nothing, got "d"; 5 words returned, 4 expected');
    expect(checkStrings(['x'], ['a'], 'tokens').message).toBe('tokens differ at position 0: expected "a", got "x"; 1 tokens returned, 1 expected');
    expect(checkStrings(['a', 'x'], ['a', 'b'], 'tokens').details).toEqual({ position: 1 });
  });

  it('ordinal: 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 22nd, 23rd … 111th, 112th, 113th', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112, 113, 122].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th', '112th', '113th', '122nd']);
  });

  it('counts exactly, entry by entry; a transposed matrix is named', () => {
    const expected = [[1, 0, 2], [0, 3, 0]];
    expect(checkCountMatrix(expected.map((r) => [...r]), expected, 'document', 'word').score).toBe(1);
    expect(checkCountMatrix([[1, 0, 2], [0, 3, 1]], expected, 'document', 'word')).toMatchObject({ score: 0, message: 'entry [1][2] (document 1, word 2) is 1; expected 0' });
    expect(checkCountMatrix([[1, 0], [0, 3], [2, 0]], expected, 'document', 'word').message).toBe('expected a 2×3 matrix (documents × words), got 3×2 (transposed? rows are documents, columns words)');
    expect(checkCountMatrix([[1, 0, 2]], expected, 'word', 'word').message).toBe('expected a 2×3 matrix (words × words), got 1×3');
    expect(checkCountMatrix([[1, 0], [0, 3]], expected, 'word', 'word').message).toBe('expected a 2×3 matrix (words × words), got 2×2');
    expect(checkCountMatrix([], [], 'word', 'word').score).toBe(1);
    expect(checkCountMatrix([], expected, 'word', 'word').message).toBe('expected a 2×3 matrix (words × words), got 0×0');
    // As many rows as expected has columns, but not transposed.
    expect(checkCountMatrix([[1], [2], [3]], expected, 'document', 'word').message).toBe('expected a 2×3 matrix (documents × words), got 3×1');
    expect(checkCountMatrix([], [[]], 'document', 'word').message).toBe('expected a 1×0 matrix (documents × words), got 0×0');
    expect(checkCountMatrix([[1, 0, 2], [0, 3, 1]], expected, 'document', 'word').details).toEqual({ row: 1, col: 2 });
  });
});

describe('rankings', () => {
  it('sureTie: equal rows, power-of-two multiples and two zero rows; nothing else', () => {
    expect(sureTie([1, 2, 0], [1, 2, 0])).toBe(true);
    expect(sureTie([1, 2, 0], [4, 8, 0])).toBe(true);
    expect(sureTie([1, 2, 0], [0.25, 0.5, 0])).toBe(true);
    expect(sureTie([0, 0], [0, 0])).toBe(true);
    expect(sureTie([1, 2], [3, 6])).toBe(false);
    expect(sureTie([1, 2], [-2, -4])).toBe(false);
    expect(sureTie([1, 2], [2, 5])).toBe(false);
    expect(sureTie([1, 0], [1, 1])).toBe(false);
    expect(sureTie([0, 1], [1, 1])).toBe(false);
    expect(sureTie([0, 0], [0, 1])).toBe(false);
    expect(sureTie([0, 1], [0, 2])).toBe(true);
    expect(sureTie([0, 1], [1, 2])).toBe(false);
    expect(sureTie([2, 4], [0, 2])).toBe(false);
    expect(sureTie([1, 2], [0, 0])).toBe(false);
  });

  const vectors = [[1, 0], [0, 1], [2, 0], [1, 1], [0, 0], [-1, 0]];
  const all = vectors.map((_, i) => i);
  const name = (i: number) => `row ${i}`;

  it('accepts the true order with sure ties by index, and says what is wrong otherwise', () => {
    expect(checkRanking([0, 2, 3], vectors, [1, 0], all, 3, name).score).toBe(1);
    expect(checkRanking([0, 2, 3, 1, 4, 5], vectors, [1, 0], all, 6, name).score).toBe(1);
    expect(checkRanking([2, 0, 3], vectors, [1, 0], all, 3, name).message).toBe('result 0 is row 2, but row 0 is exactly as similar (the same direction) and has the lower index: equal similarities go in increasing index order');
    expect(checkRanking([0, 3, 2], vectors, [1, 0], all, 3, name).message).toBe('result 1 is row 3, with cosine similarity 0.707107; the 2nd most similar has 1');
    expect(checkRanking([5, 4, 1], vectors, [1, 0], all, 3, name).message).toBe('result 0 is row 5, with cosine similarity -1; the 1st most similar has 1 (most similar first: sort in decreasing order)');
    expect(checkRanking([0, 2], vectors, [1, 0], all, 3, name).message).toBe('expected 3 results, got 2');
    expect(checkRanking([0, 0, 3], vectors, [1, 0], all, 3, name).message).toBe('row 0 appears twice');
    expect(checkRanking([0, 9, 3], vectors, [1, 0], all, 3, name).message).toBe('result 1 is row 9, which is not one of the candidates');
    expect(checkRanking([1, 0, 3], vectors, [1, 0], [0, 2, 3], 3, name).message).toBe('result 0 is row 1, which is not one of the candidates (a, b and c themselves are excluded)');
    expect(checkRanking([-1, 0, 3], vectors, [1, 0], [0, 2, 3], 3, name).message).toBe('result 0 is row -1, which is not one of the candidates');
    expect(checkRanking([0.5, 0, 3], vectors, [1, 0], [0, 2, 3], 3, name).message).toBe('result 0 is row 0.5, which is not one of the candidates');
    expect(checkRanking([0, 2], vectors, [1, 0], [1, 2, 3], 2, name).message).toBe('result 0 is row 0, which is not one of the candidates (a, b and c themselves are excluded)');
    expect(checkRanking([6, 2], vectors, [1, 0], [1, 2, 3], 2, name).message).toBe('result 0 is row 6, which is not one of the candidates');
    expect(checkRanking([0, 3, 2], vectors, [1, 0], all, 3, name).details).toEqual({ rank: 1 });
    expect(checkRanking([2, 0, 3], vectors, [1, 0], all, 3, name).details).toEqual({ rank: 0 });
    // Out of order at rank 0, but not the least similar: no advice about the direction; the least similar later on: none either.
    expect(checkRanking([3, 0, 2], vectors, [1, 0], all, 3, name).message).toBe('result 0 is row 3, with cosine similarity 0.707107; the 1st most similar has 1');
    expect(checkRanking([0, 5, 2], vectors, [1, 0], all, 3, name).message).toBe('result 1 is row 5, with cosine similarity -1; the 2nd most similar has 1');
    // A sure tie left out: row 0 ties with row 2 and must be chosen first.
    expect(checkRanking([2], vectors, [1, 0], all, 1, name).message).toMatch(/^result 0 is row 2, but row 0 is exactly as similar/);
  });

  it('similarities within RANK_TOLERANCE are in either order unless they are sure ties', () => {
    const near = [[1, 0], [1, 1e-6], [1, -1e-6]];
    // Cosines 1 and 1 − 5e-13: a rounding-level difference, in either order.
    expect(checkRanking([1, 0, 2], near, [1, 0], [0, 1, 2], 3, name).score).toBe(1);
    expect(checkRanking([0, 2, 1], near, [1, 0], [0, 1, 2], 3, name).score).toBe(1);
    const apart = [[1, 0], [1, Math.sqrt(2 * 3 * RANK_TOLERANCE)]];
    expect(checkRanking([1, 0], apart, [1, 0], [0, 1], 2, name).score).toBe(0);
    // The order across a gap of exactly RANK_TOLERANCE is accepted; a larger gap is not.
    const scores = [0.5, 0.5 - RANK_TOLERANCE / 2, 0.5 - 4 * RANK_TOLERANCE];
    const angled = scores.map((c) => [c, Math.sqrt(1 - c * c)]);
    expect(checkRanking([1, 0, 2], angled, [1, 0], [0, 1, 2], 3, name).score).toBe(1);
    expect(checkRanking([0, 2, 1], angled, [1, 0], [0, 1, 2], 3, name).score).toBe(0);
  });
});

describe('factorizations', () => {
  const X = [[2, 0, 1, 0], [0, 3, 0, 1], [1, 1, 1, 1], [0, 0, 2, 5], [4, 1, 0, 0]];

  it('worstInnerProduct names the first of tied worst pairs, in row order, with both inner products', () => {
    // Every pair among rows 0 and 1 is off by 1: (0, 0), (0, 1) and (1, 1) tie.
    expect(worstInnerProduct([[1], [1], [0]], [[0], [0], [0]])).toEqual({ error: 1, i: 0, j: 0, got: 1, want: 0 });
    expect(worstInnerProduct([[1, 2], [3, 4]], [[1, 2], [3, 4.5]])).toEqual({ error: 4.25, i: 1, j: 1, got: 25, want: 29.25 });
    expect(worstInnerProduct([[1]], [[1]])).toEqual({ error: 0, i: 0, j: 0, got: 0, want: 0 });
  });

  it('spectrum remembers the singular values of the last few matrices by content', () => {
    const M = [[2, 1], [1, 3]];
    const S = spectrum(M);
    expect(S).toEqual(singularValues(M));
    expect(spectrum(M.map((row) => [...row]))).toBe(S);
    // Same numbers, another shape: another matrix.
    expect(spectrum([[2, 1, 1, 3]])).not.toBe(S);
    expect(spectrum([[2, 1, 1, 3]])).toEqual(singularValues([[2, 1, 1, 3]]));
    expect(spectrum([[2], [1], [1], [3]])).toEqual([Math.sqrt(15)]);
    // M, the two above and SPECTRA_KEPT − 3 more make SPECTRA_KEPT: M is still there; one more pushes it out.
    for (let i = 0; i < SPECTRA_KEPT - 3; i++) spectrum([[i + 10]]);
    expect(spectrum(M)).toBe(S);
    spectrum([[1000]]);
    expect(spectrum(M)).not.toBe(S);
    expect(spectrum([[SPECTRA_KEPT + 9]])).toBe(spectrum([[SPECTRA_KEPT + 9]]));
  });

  it('hasGap', () => {
    expect(hasGap([3, 2, 1], 1)).toBe(true);
    expect(hasGap([3, 3, 1], 1)).toBe(false);
    expect(hasGap([3, 3, 1], 3)).toBe(true);
    expect(hasGap([1, 1 - 5e-7], 1)).toBe(false);
    expect(hasGap([1, 1 - 2e-6], 1)).toBe(true);
    // Relative to σ₁: a gap of 5e-5 is none at σ₁ = 100.
    expect(hasGap([100, 100 - 5e-5], 1)).toBe(false);
    expect(hasGap([100, 100 - 2e-4], 1)).toBe(true);
  });

  it('checkLsa passes the reference and names each broken property', () => {
    const answer = reference.lsa(X, 2);
    const S = singularValues(X);
    expect(checkLsa(X, 2, answer, S).score).toBe(1);
    // Signs are free.
    const flipped = { ...answer, documentVectors: answer.documentVectors.map((r) => [-r[0], r[1]]), wordVectors: answer.wordVectors.map((r) => [-r[0], r[1]]) };
    expect(checkLsa(X, 2, flipped, S).score).toBe(1);
    expect(checkLsa(X, 2, { ...answer, documentVectors: answer.documentVectors.slice(1) }, S).message).toBe('documentVectors must be n×k = 5×2 (one row per document), got 4×2');
    expect(checkLsa(X, 2, { ...answer, documentVectors: answer.documentVectors.map((r) => [...r, 0]) }, S).message).toBe('documentVectors must be n×k = 5×2 (one row per document), got 5×3');
    expect(checkLsa(X, 2, { ...answer, wordVectors: answer.wordVectors.slice(1) }, S).message).toBe('wordVectors must be d×k = 4×2 (one row per word), got 3×2');
    expect(checkLsa(X, 2, { ...answer, wordVectors: answer.wordVectors.map((r) => [r[0]]) }, S).message).toBe('wordVectors must be d×k = 4×2 (one row per word), got 4×1');
    expect(checkLsa(X, 2, { ...answer, singularValues: S.slice(0, 3) }, S).message).toBe('singularValues must hold k = 2 numbers, got 3');
    expect(checkLsa(X, 2, { ...answer, documentVectors: answer.documentVectors.map((r, i) => (i === 3 ? [...r, 0] : r)) }, S).message).toBe('documentVectors must be n×k = 5×2 (one row per document), got 5×2');
    expect(checkLsa(X, 2, { ...answer, documentVectors: [] }, S).message).toBe('documentVectors must be n×k = 5×2 (one row per document), got 0×0');
    expect(checkLsa(X, 2, { ...answer, wordVectors: answer.wordVectors.map((r, i) => (i === 2 ? [r[0]] : r)) }, S).message).toBe('wordVectors must be d×k = 4×2 (one row per word), got 4×2');
    expect(checkLsa(X, 2, { ...answer, wordVectors: [] }, S).message).toBe('wordVectors must be d×k = 4×2 (one row per word), got 0×0');
    expect(checkLsa(X, 2, answer, S)).toEqual({ score: 1, message: 'correct' });
    const wrongS = checkLsa(X, 2, { ...answer, singularValues: [S[0], S[1] * 1.01] }, S);
    expect(wrongS.message).toMatch(/^singularValues\[1\] is [\d.]+; expected [\d.]+, the 2nd largest singular value of X \(X itself: do not centre it\)$/);
    const scaled = { ...answer, wordVectors: answer.wordVectors.map((r) => r.map((x) => 2 * x)) };
    expect(checkLsa(X, 2, scaled, S).message).toMatch(/^the columns of wordVectors are not orthonormal: entry \(\d, \d\) of wordVectorsᵀ·wordVectors is off from the identity by 3 \(wordVectors = V_k, unscaled\)/);
    const unscaled = { ...answer, documentVectors: answer.documentVectors.map((r) => r.map((x, j) => x / S[j])) };
    expect(checkLsa(X, 2, unscaled, S).message).toMatch(/^documentVectors is not X·wordVectors: .*documentVectorsᵀ·documentVectors should be diag\(σ₁², …, σ_k²\)/s);
    expect(checkLsa(X, 2, unscaled, S).message).toContain(`(σ₁² = ${formatNumber(S[0] * S[0])})`);
    // Another orthonormal basis of a wrong subspace: X·W equals D, but DᵀD is not Σ².
    const W = [[1, 0], [0, 1], [0, 0], [0, 0]];
    const D = X.map((row) => [row[0], row[1]]);
    expect(checkLsa(X, 2, { documentVectors: D, wordVectors: W, singularValues: S.slice(0, 2) }, S).message).toMatch(/^documentVectorsᵀ·documentVectors should be diag\(σ₁², …, σ_k²\): entry \(\d, \d\) is off by/);
  });

  it('checkLsa allows FACTOR_TOLERANCE, and not much more', () => {
    const answer = reference.lsa(X, 2);
    const S = singularValues(X);
    const moveD = (by: number) => ({ ...answer, documentVectors: answer.documentVectors.map((r, i) => (i === 0 ? [r[0] + by * S[0], r[1]] : r)) });
    expect(checkLsa(X, 2, moveD(0.5 * FACTOR_TOLERANCE), S).score).toBe(1);
    expect(checkLsa(X, 2, moveD(3 * FACTOR_TOLERANCE), S).score).toBe(0);
    const moveS = (by: number) => ({ ...answer, singularValues: [answer.singularValues[0] + by * S[0], answer.singularValues[1]] });
    expect(checkLsa(X, 2, moveS(0.5 * FACTOR_TOLERANCE), S).score).toBe(1);
    expect(checkLsa(X, 2, moveS(2 * FACTOR_TOLERANCE), S).score).toBe(0);
    const moveW = (by: number) => ({ ...answer, wordVectors: answer.wordVectors.map((r, i) => (i === 0 ? [r[0] * (1 + by), r[1]] : r)) });
    expect(checkLsa(X, 2, moveW(1e-12), S).score).toBe(1);
    expect(checkLsa(X, 2, moveW(1e-5), S).score).toBe(0);
  });

  it('checkWordEmbeddings: squared column lengths σ_j, orthogonal columns, and E·Eᵀ where σ_k > σ_{k+1}', () => {
    const M = reference.ppmi(symmetricCounts(createRng('embed'), 8));
    const S = singularValues(M);
    const E = reference.wordEmbeddings(M, 3);
    expect(checkWordEmbeddings(E, 8, 3, E, S).score).toBe(1);
    expect(checkWordEmbeddings(E.map((r) => [-r[0], r[1], -r[2]]), 8, 3, E, S).score).toBe(1);
    expect(checkWordEmbeddings(E.slice(1), 8, 3, E, S).message).toBe('expected 8 rows (one per word) of k = 3 numbers, got 7 rows of 3');
    expect(checkWordEmbeddings(E.map((r) => r.slice(1)), 8, 3, E, S).message).toBe('expected 8 rows (one per word) of k = 3 numbers, got 8 rows of 2');
    expect(checkWordEmbeddings(E.map((r, i) => (i === 5 ? r.slice(1) : r)), 8, 3, E, S).message).toBe('expected 8 rows (one per word) of k = 3 numbers, got 8 rows of 3');
    expect(checkWordEmbeddings([], 8, 3, E, S).message).toBe('expected 8 rows (one per word) of k = 3 numbers, got 0 rows of 0');
    expect(checkWordEmbeddings(E, 8, 3, E, S)).toEqual({ score: 1, message: 'correct' });
    expect(checkWordEmbeddings(E.map((r) => r.map((x) => 2 * x)), 8, 3, E, S).message).toMatch(/^column 0 of the embeddings has squared length [\d.]+; U_k·sqrt\(Σ_k\)'s column j has squared length σ_j = [\d.]+/);
    // Columns 0 and 1 mixed by a small rotation: their inner product changes more than their lengths.
    const [c, s] = [Math.cos(0.1), Math.sin(0.1)];
    const mixed = E.map((r) => [c * r[0] + s * r[1], c * r[1] - s * r[0], r[2]]);
    expect(checkWordEmbeddings(mixed, 8, 3, E, S).message).toMatch(/^columns 0 and 1 of the embeddings are not orthogonal \(inner product -?[\d.]+\): the columns of U_k are/);
    // The right lengths on the wrong vectors: another row order keeps EᵀE but changes E·Eᵀ.
    const swapped = [E[1], E[0], ...E.slice(2)];
    const message = checkWordEmbeddings(swapped, 8, 3, E, S).message;
    const [, i, j, got, want] = /^the embeddings' inner products differ from U_k·Σ_k·U_kᵀ: words (\d+) and (\d+) have (-?[\d.e-]+), expected (-?[\d.e-]+); use the top k singular vectors of M$/.exec(message)!;
    const dot = (a: number[], b: number[]) => a.reduce((sum, x, t) => sum + x * b[t], 0);
    expect(Number(got)).toBeCloseTo(dot(swapped[Number(i)], swapped[Number(j)]), 4);
    expect(Number(want)).toBeCloseTo(dot(E[Number(i)], E[Number(j)]), 4);
    // Without a gap at k the inner products are not compared: the swapped rows pass.
    const tied = [S[0], S[1], S[2], S[2], ...S.slice(4)];
    expect(checkWordEmbeddings(swapped, 8, 3, E, tied).score).toBe(1);
  });

  it('checkWordEmbeddings scales its tolerance with σ₁', () => {
    const M = reference.ppmi(symmetricCounts(createRng('embed-3'), 6)).map((row) => row.map((x) => 1e4 * x));
    const S = singularValues(M);
    const E = reference.wordEmbeddings(M, 2);
    // Column 0's squared length off by 1e-9·σ₁: inside FACTOR_TOLERANCE·σ₁, far outside FACTOR_TOLERANCE / σ₁.
    const longer = E.map((r) => [r[0] * Math.sqrt(1 + (1e-9 * S[0]) / S[0]), r[1]]);
    expect(checkWordEmbeddings(longer, 6, 2, longer, S).score).toBe(1);
  });

  it('checkWordEmbeddings allows FACTOR_TOLERANCE·σ₁ on the inner products', () => {
    const M = reference.ppmi(symmetricCounts(createRng('embed-2'), 6));
    const S = singularValues(M);
    const E = reference.wordEmbeddings(M, 2);
    const nudge = (by: number) => E.map((r, i) => (i === 0 ? [r[0] + by, r[1]] : r));
    expect(checkWordEmbeddings(nudge((0.2 * FACTOR_TOLERANCE * S[0]) / Math.max(1, Math.abs(E[0][0]) * 2)), 6, 2, E, S).score).toBe(1);
    expect(checkWordEmbeddings(nudge(1e-3), 6, 2, E, S).score).toBe(0);
  });
});

describe('the State of the Union checks', () => {
  it('groupSimilarities averages within and between groups', () => {
    const E = [[1, 0], [1, 0], [0, 1], [0, 1], [1, 1]];
    const vocabulary = ['a', 'b', 'c', 'd', 'e'];
    const groups = groupSimilarities(E, vocabulary, { first: ['a', 'b'], second: ['c', 'd', 'e'] });
    expect([groups[0].group, groups[0].within]).toEqual(['first', 1]);
    expect(groups[0].between).toBeCloseTo((0 + 0 + Math.SQRT1_2) / 3, 12);
    expect(groups[1].within).toBeCloseTo((1 + Math.SQRT1_2 + Math.SQRT1_2) / 3, 12);
    expect(groups[1].between).toBeCloseTo((0 + 0 + Math.SQRT1_2) / 3, 12);
  });

  it('lsaPoints: coordinates 2 and 3 over the length, by half-century; nearestWords: by cosine, ties to the lower index', () => {
    expect(lsaPoints([[3, 0, 4], [0, 2, 0], [1, 1, 1]], [1799, 1800, 2021])).toEqual([
      { x: 0, y: 0.8, group: '1750s' },
      { x: 1, y: 0, group: '1800s' },
      { x: 1 / Math.sqrt(3), y: 1 / Math.sqrt(3), group: '2000s' },
    ]);
    const E = [[1, 0], [2, 0], [0, 1], [1, 0.1], [1, 0]];
    expect(nearestWords(E, ['a', 'b', 'c', 'd', 'e'], 'a', 3)).toEqual(['b', 'e', 'd']);
    expect(nearestWords(E, ['a', 'b', 'c', 'd', 'e'], 'c', 2)).toEqual(['d', 'a']);
    expect(NEIGHBOUR_WORDS.filter((w) => !sotuVocabulary(WORD_MIN_COUNT).includes(w))).toEqual([]);
  });

  it('nearestWithinYears: the most similar other row by cosine, ties to the lower index', () => {
    const D = [[1, 0], [1, 0.1], [0, 1], [0, 2], [1, 0]];
    expect(nearestWithinYears(D, [1800, 1810, 1900, 1930, 1850], 20)).toBe(0.2);
    expect(nearestWithinYears(D, [1800, 1820, 1900, 1920, 1800], 20)).toBe(1);
    expect(nearestWithinYears(D, [1800, 1821, 1900, 1921, 1800], 20)).toBe(0.4);
    // Row 1's nearest are rows 0 and 4 (equal): row 0, the lower index.
    expect(nearestWithinYears([[1, 0], [1, 0.1], [0, 1], [1, 0]], [1800, 1800, 1900, 1900], 20)).toBe(0.25);
    // A zero row is as similar as an orthogonal one (cosine 0) and is never chosen over a positive one.
    expect(nearestWithinYears([[0, 0], [0, 1], [0, 2]], [1900, 1800, 1810], 20)).toBe(2 / 3);
    // A zero row's own nearest is the first other row (cosine 0 beats nothing).
    expect(nearestWithinYears([[0, 0], [0, 1], [0, 2]], [1800, 1810, 1900], 20)).toBe(1 / 3);
  });

  it('the LSA case: the reference passes with a figure; documents in a random order fail the era test', async () => {
    const ctx = await contextOf('lsa', 'the State of the Union: 233', 'lsa-sotu');
    const verdict = await check('lsa', ctx);
    expect(verdict.score).toBe(1);
    expect(verdict.message).toMatch(/^9\d % of the addresses are nearest to one within 20 years \(at least 85 % needed\)$/);
    expect(verdict.figures?.[0].title).toBe('The addresses in your LSA space');
    expect(chartTexts(verdict.figures![0].data, 'legend-label')).toEqual(['1750s', '1800s', '1850s', '1900s', '1950s', '2000s']);
    const hidden = await check('lsa', { ...ctx, visible: false });
    expect(hidden.figures).toBeUndefined();
    // The same factorization of the addresses in another order: each address's neighbours are now random years.
    const [X, k] = ctx.args as [Matrix, number];
    const order = X.map((_, i) => (i * 97) % X.length);
    const shuffled = reference.lsa(order.map((i) => X[i]), k);
    const wrong = await check('lsa', { ...ctx, args: [order.map((i) => X[i]), k], output: shuffled, expected: shuffled, calls: [{ args: [order.map((i) => X[i]), k], output: shuffled, expected: shuffled }] });
    expect(wrong.score).toBe(0);
    expect(wrong.message).toMatch(/^only \d+ % of the addresses have their most similar other address \(cosine of documentVectors\) within 20 years; at least 85 % should$/);
    const years = sotu().map((speech) => speech.year);
    const share = nearestWithinYears(shuffled.documentVectors, years, 20);
    expect(wrong.message).toContain(`only ${(100 * share).toFixed(0)} % `);
    expect(wrong.details).toEqual({ share });
    expect(wrong.figures).toBeUndefined();
    // The picture: the reference's points, axes and caption.
    expect(verdict.metrics).toEqual({ share: nearestWithinYears((ctx.output as { documentVectors: Matrix }).documentVectors, years, 20) });
    expect(chartTexts(verdict.figures![0].data, 'axis-title')).toEqual(['coordinate 2 / length', 'coordinate 3 / length']);
    expect(verdict.figures![0].caption).toMatch(/^Each address's document vector, coordinates 2 and 3 divided by its length \(coordinate 1 mostly measures length\), coloured by half-century\. State of the Union addresses/);
    // A wrong structure is reported as such, without the era test.
    const unscaled = await contextOf('lsa', 'the State of the Union: 233', 'lsa-sotu', (...args) => {
      const answer = (reference.lsa as (...a: unknown[]) => { documentVectors: Matrix; wordVectors: Matrix; singularValues: number[] })(...args);
      return { ...answer, documentVectors: answer.documentVectors.map((r) => r.map((x, j) => x / answer.singularValues[j])) };
    });
    const structure = await check('lsa', unscaled);
    expect(structure.message).toMatch(/^documentVectors is not X·wordVectors/);
    expect(structure.figures).toBeUndefined();
  }, 60_000);

  it('generated LSA cases: the structure alone, for one call and for several', async () => {
    const single = await contextOf('lsa', 'a 8×12', 'gen');
    expect(await check('lsa', single)).toEqual({ score: 1, message: 'correct' });
    const several = await contextOf('lsa', 'random count matrices', 'gen', undefined, false);
    expect(several.calls).toHaveLength(2);
    expect(await check('lsa', several)).toEqual({ score: 1, message: 'correct' });
    const secondWrong = await contextOf('lsa', 'random count matrices', 'gen', (X, k) => {
      const answer = reference.lsa(X as Matrix, k as number);
      return (X as Matrix).length === 30 ? { ...answer, singularValues: answer.singularValues.map((x) => 2 * x) } : answer;
    }, false);
    expect((await check('lsa', secondWrong)).message).toMatch(/^singularValues\[0\] is /);
  });

  it('the hidden LSA case draws 80 % of the addresses again from the case seed', async () => {
    const ctx = await contextOf('lsa', 'the State of the Union: 80 %', 'lsa-hidden', undefined, false);
    const [X] = ctx.args as [Matrix, number];
    expect(X.length).toBeGreaterThan(150);
    expect(X.length).toBeLessThan(233);
    const verdict = await check('lsa', ctx);
    expect(verdict).toMatchObject({ score: 1 });
    expect(verdict.figures).toBeUndefined();
    // The years of the addresses drawn for this student: the share is computed with them.
    const years = someSpeeches(ctx.inputRng(), 0.8).map((speech) => speech.year);
    expect(years).toHaveLength(X.length);
    expect(verdict.metrics).toEqual({ share: nearestWithinYears((ctx.output as { documentVectors: Matrix }).documentVectors, years, 20) });
  }, 60_000);

  it('the word-embedding case: the reference passes with a table; random embeddings fail the groups', async () => {
    const ctx = await contextOf('wordEmbeddings', 'the State of the Union: PPMI', 'we-sotu');
    const verdict = await check('wordEmbeddings', ctx);
    expect(verdict.score).toBe(1);
    expect(verdict.message).toMatch(/^every word group is kept together \(mean cosine within vs with other groups: military 0\.\d\d vs 0\.\d\d; finance/);
    expect(verdict.figures?.[0].title).toBe('Nearest words in your embeddings');
    expect(verdict.figures![0].caption).toMatch(/^Computed from your wordEmbeddings of the addresses' PPMI matrix\. State of the Union/);
    const rows = NEIGHBOUR_WORDS.map((word) => [word, nearestWords(ctx.output as Matrix, sotuVocabulary(WORD_MIN_COUNT), word, 6).join(', ')]);
    expect(markTexts(verdict.figures![0].data)).toEqual(['word', 'most similar words (cosine)', ...rows.flat()]);
    expect(rows[0]).toEqual(['war', 'navy, army, naval, force, forces, military']);
    expect((await check('wordEmbeddings', { ...ctx, visible: false })).figures).toBeUndefined();
    const rng = createRng('noise');
    const [M] = ctx.args as [Matrix, number];
    // The groups only: the check's structural part is bypassed by giving the noise as the expected answer too.
    const noise = M.map(() => rng.vector(50, () => rng.normal()));
    const E = ctx.output as Matrix;
    const groups = groupSimilarities(noise, sotuVocabulary(WORD_MIN_COUNT), WORD_GROUPS);
    expect(Math.max(...groups.map((g) => g.within - g.between))).toBeLessThan(GROUP_MARGIN);
    expect(Math.min(...groupSimilarities(E, sotuVocabulary(WORD_MIN_COUNT), WORD_GROUPS).map((g) => g.within - g.between))).toBeGreaterThan(2 * GROUP_MARGIN);
  }, 60_000);
});

describe('problem checks and detectors', () => {
  it('lsa detectors: every column scaled by its σ, and the centred singular values, at any scale', async () => {
    const big = (X: unknown) => (X as Matrix).map((row) => row.map((x) => 1000 * x));
    const answerOf = (X: unknown, k: unknown) => reference.lsa(big(X), k as number);
    const scaledAll = await contextOf('lsa', 'a 8×12', 'det', (X, k) => {
      const answer = answerOf(X, k);
      return { ...answer, wordVectors: answer.wordVectors.map((r) => r.map((x, j) => x * answer.singularValues[j] * (1 + 1e-8))) };
    });
    expect(detector('lsa', 'lsa-words-scaled')(scaledAll)).toBe(true);
    const scaledOne = await contextOf('lsa', 'a 8×12', 'det', (X, k) => {
      const answer = answerOf(X, k);
      return { ...answer, wordVectors: answer.wordVectors.map((r) => r.map((x, j) => (j === 0 ? x * answer.singularValues[0] : 2 * x))) };
    });
    expect(detector('lsa', 'lsa-words-scaled')(scaledOne)).toBe(false);
    const centred = (X: Matrix, k: number) => {
      const means = X[0].map((_, j) => X.reduce((sum, row) => sum + row[j], 0) / X.length);
      return reference.lsa(X.map((row) => row.map((x, j) => x - means[j])), k);
    };
    const centredBig = await contextOf('lsa', 'a 8×12', 'det', (X, k) => centred(X as Matrix, k as number));
    expect(detector('lsa', 'lsa-centered')(centredBig)).toBe(true);
    // σ₁ of X (×1000): a centred σ off by 1e-8 relative still matches; one off by 1e-4 does not.
    const bigCtx = { ...centredBig, args: [big(centredBig.args[0]), centredBig.args[1]] as unknown[] };
    const nudged = (by: number) => {
      const answer = centred(bigCtx.args[0] as Matrix, bigCtx.args[1] as number);
      return { ...bigCtx, output: { ...answer, singularValues: answer.singularValues.map((x, i) => (i === 0 ? x * (1 + by) : x)) } };
    };
    expect(detector('lsa', 'lsa-centered')(nudged(1e-8))).toBe(true);
    expect(detector('lsa', 'lsa-centered')(nudged(1e-4))).toBe(false);
    const firstOnly = nudged(0);
    const output = firstOnly.output as { singularValues: number[] };
    expect(detector('lsa', 'lsa-centered')({ ...firstOnly, output: { ...output, singularValues: output.singularValues.map((x, i) => (i === 0 ? x : x + 1)) } })).toBe(false);
  });

  it('wordEmbeddings detectors: below σ₁ = 1.5 σ and sqrt(σ) scalings are not told apart; one unit column is not U_k', async () => {
    const sigma = (M: unknown, k: unknown) => {
      const E = reference.wordEmbeddings(M as Matrix, k as number);
      const S = singularValues(M as Matrix);
      return E.map((r) => r.map((x, j) => x * Math.sqrt(S[j])));
    };
    const small = await contextOf('wordEmbeddings', 'the PPMI of a random 12', 'small', (M, k) => sigma((M as Matrix).map((row) => row.map((x) => x / 100)), k));
    const smallCtx = { ...small, args: [(small.args[0] as Matrix).map((row) => row.map((x) => x / 100)), small.args[1]] as unknown[] };
    expect(singularValues(smallCtx.args[0] as Matrix)[0]).toBeLessThan(1.5);
    expect(detector('wordEmbeddings', 'embedding-sigma')(smallCtx)).toBe(false);
    const big = await contextOf('wordEmbeddings', 'the PPMI of a random 12', 'small', (M, k) => sigma((M as Matrix).map((row) => row.map((x) => 1000 * x)), k));
    const bigCtx = { ...big, args: [(big.args[0] as Matrix).map((row) => row.map((x) => 1000 * x)), big.args[1]] as unknown[] };
    expect(detector('wordEmbeddings', 'embedding-sigma')(bigCtx)).toBe(true);
    const E = bigCtx.output as Matrix;
    expect(detector('wordEmbeddings', 'embedding-sigma')({ ...bigCtx, output: E.map((r) => r.map((x, j) => (j === 0 ? x * (1 + 1e-8) : x))) })).toBe(true);
    expect(detector('wordEmbeddings', 'embedding-sigma')({ ...bigCtx, output: E.map((r) => r.map((x, j) => (j === 0 ? x : 2 * x))) })).toBe(false);
    const U = reference.wordEmbeddings(bigCtx.args[0] as Matrix, 3).map((r, _, all) => r.map((x, j) => x / Math.hypot(...all.map((row) => row[j]))));
    expect(detector('wordEmbeddings', 'embedding-no-sqrt')({ ...bigCtx, output: U })).toBe(true);
    expect(detector('wordEmbeddings', 'embedding-no-sqrt')({ ...bigCtx, output: U.map((r) => r.map((x, j) => (j === 0 ? x : 2 * x))) })).toBe(false);
  });

  it('generated wordEmbeddings cases: one call and several', async () => {
    expect(await check('wordEmbeddings', await contextOf('wordEmbeddings', 'the PPMI of a random 12', 'gen'))).toEqual({ score: 1, message: 'correct' });
    const several = await contextOf('wordEmbeddings', 'the PPMI of random count matrices', 'gen', undefined, false);
    expect(several.calls).toHaveLength(2);
    expect(await check('wordEmbeddings', several)).toEqual({ score: 1, message: 'correct' });
    const secondWrong = await contextOf('wordEmbeddings', 'the PPMI of random count matrices', 'gen', (M, k) => {
      const E = reference.wordEmbeddings(M as Matrix, k as number);
      return (M as Matrix).length === 8 ? E.map((r) => r.map((x) => 2 * x)) : E;
    }, false);
    expect((await check('wordEmbeddings', secondWrong)).message).toMatch(/^column \d of the embeddings has squared length/);
  });

  it('tokenize: the hand-made text', async () => {
    const ctx = await contextOf('tokenize', 'apostrophes', 'tok');
    expect(ctx.expected).toEqual(["don't", 'stop', "it's", "o'clock", 'the', 'u', 's', "navy's", 'best', "rock'n'roll", 'caf', 'naïve'.slice(0, 2), 've', 'e', 'mail', 'a', 'b', 'quoted', "states", 'end', 'new', 'line', 'x', 'y']);
    expect((await check('tokenize', ctx)).score).toBe(1);
  });

  it('the cosine check names the call', async () => {
    const ctx = await contextOf('cosineSimilarity', 'pairs', 'cos', (a, b) => reference.cosineSimilarity(a as number[], b as number[]) + 0.01);
    expect((await check('cosineSimilarity', ctx)).message).toMatch(/^cosineSimilarity\(\[.*\], \[.*\]\): /);
  });

  it('lsa detectors: unit columns, scaled word vectors, centred singular values', async () => {
    const noSigma = await contextOf('lsa', 'a 8×12', 'lsa-1', (X, k) => {
      const answer = reference.lsa(X as Matrix, k as number);
      return { ...answer, documentVectors: answer.documentVectors.map((r) => r.map((x, j) => x / answer.singularValues[j])) };
    });
    expect(detector('lsa', 'lsa-no-sigma')(noSigma)).toBe(true);
    const right = await contextOf('lsa', 'a 8×12', 'lsa-1');
    expect(['lsa-no-sigma', 'lsa-words-scaled', 'lsa-centered'].filter((id) => detector('lsa', id)(right))).toEqual([]);
    const scaled = await contextOf('lsa', 'a 8×12', 'lsa-1', (X, k) => {
      const answer = reference.lsa(X as Matrix, k as number);
      return { ...answer, wordVectors: answer.wordVectors.map((r) => r.map((x, j) => x * answer.singularValues[j])) };
    });
    expect(detector('lsa', 'lsa-words-scaled')(scaled)).toBe(true);
    expect(detector('lsa', 'lsa-no-sigma')(scaled)).toBe(false);
    const empty = { ...scaled, output: { documentVectors: [], wordVectors: [], singularValues: [] } } as Ctx;
    expect(detector('lsa', 'lsa-words-scaled')(empty)).toBe(false);
    expect(detector('lsa', 'lsa-no-sigma')(empty)).toBe(false);
    expect(detector('lsa', 'lsa-centered')(empty)).toBe(false);
  });

  it('wordEmbeddings detectors: unit columns, columns of length σ', async () => {
    const scale = (power: number) => (M: unknown, k: unknown) => {
      const E = reference.wordEmbeddings(M as Matrix, k as number);
      const S = singularValues(M as Matrix);
      return E.map((r) => r.map((x, j) => x * S[j] ** power));
    };
    const noSqrt = await contextOf('wordEmbeddings', 'the PPMI of a random 12', 'we-1', scale(-0.5));
    const sigma = await contextOf('wordEmbeddings', 'the PPMI of a random 12', 'we-1', scale(0.5));
    const right = await contextOf('wordEmbeddings', 'the PPMI of a random 12', 'we-1');
    expect([detector('wordEmbeddings', 'embedding-no-sqrt')(noSqrt), detector('wordEmbeddings', 'embedding-sigma')(noSqrt)]).toEqual([true, false]);
    expect([detector('wordEmbeddings', 'embedding-no-sqrt')(sigma), detector('wordEmbeddings', 'embedding-sigma')(sigma)]).toEqual([false, true]);
    expect([detector('wordEmbeddings', 'embedding-no-sqrt')(right), detector('wordEmbeddings', 'embedding-sigma')(right)]).toEqual([false, false]);
    expect(detector('wordEmbeddings', 'embedding-sigma')({ ...sigma, output: [] } as Ctx)).toBe(false);
  });

  it('analogy: the reference passes, names the query in messages, and a word outside the vocabulary is named', async () => {
    const ctx = await contextOf('analogy', '12 words', 'an');
    expect((await check('analogy', ctx)).score).toBe(1);
    const wrong = await contextOf('analogy', '12 words', 'an', () => ['zebra']);
    expect((await check('analogy', wrong)).message).toMatch(/^"[a-z']+" is to "[a-z']+" as "[a-z']+" is to … \(topN 1\): result 0 is a word not in the vocabulary, which is not one of the candidates/);
  });

  it('analogy: a query word in the answer, and words out of order, are named with the call', async () => {
    type Args = [Matrix, string[], string, string, string, number?];
    const withQuery = await contextOf('analogy', '12 words', 'an-2', (...args) => {
      const [, , a, , , topN = 1] = args as Args;
      return [a, ...(reference.analogy as (...x: unknown[]) => string[])(...args)].slice(0, topN);
    });
    const message = (await check('analogy', withQuery)).message;
    expect(message).toMatch(/^"([a-z']+)" is to "[a-z']+" as "[a-z']+" is to … \(topN 1\): result 0 is "\1", which is not one of the candidates \(a, b and c themselves are excluded\)$/m);
    expect(message).toMatch(/\(topN 4\): result 0 is "[a-z']+", which is not one of the candidates/);
    const swapped = await contextOf('analogy', '12 words', 'an-2', (...args) => {
      const answer = (reference.analogy as (...x: unknown[]) => string[])(...args);
      return answer.length > 1 ? [answer[1], answer[0], ...answer.slice(2)] : answer;
    });
    const verdict = await check('analogy', swapped);
    expect(verdict.message).toMatch(/\(topN 4\): result 0 is "[a-z']+", with cosine similarity -?[\d.]+; the 1st most similar has -?[\d.]+/);
    expect(verdict.message).not.toContain('(topN 1)');
  });

  it('every problem passes the reference on its visible cases', async () => {
    for (const p of assignment.problems) {
      for (const c of p.cases.filter((x) => (x.visibility ?? 'visible') === 'visible' && !x.name.startsWith('the State of the Union'))) {
        const ctx = await contextOf(p.export, c.name, 'all');
        expect((await p.check(ctx)).score, `${p.export} / ${c.name}`).toBe(1);
      }
    }
  }, 60_000);

  it('tokenize, removeStopWords, buildVocabulary and termDocumentMatrix name what differs', async () => {
    const tokens = await contextOf('tokenize', 'apostrophes', 'msg', () => ["don't", 'stop', 'it']);
    expect((await check('tokenize', tokens)).message).toBe(`tokens differ at position 2 (after "don't", "stop"): expected "it's", got "it"; 3 tokens returned, 24 expected`);
    const stop = await contextOf('removeStopWords', 'a passage', 'msg', () => []);
    expect((await check('removeStopWords', stop)).message).toMatch(/^tokens differ at position 0: expected "[a-z']+", got nothing; 0 tokens returned, \d+ expected$/);
    const vocabulary = await contextOf('buildVocabulary', 'six documents', 'msg', () => ['zzz']);
    expect((await check('buildVocabulary', vocabulary)).message).toMatch(/^words differ at position 0: expected "[a-z']+", got "zzz"; 1 words returned, \d+ expected\n/);
    const counts = await contextOf('termDocumentMatrix', 'eight documents', 'msg', (docs, vocabulary) => (docs as string[][]).map(() => (vocabulary as string[]).map(() => 0)));
    expect((await check('termDocumentMatrix', counts)).message).toMatch(/^entry \[0\]\[\d+\] \(document 0, word \d+\) is 0; expected [1-9]\d*$/);
  });

  it('cosineSimilarity names the call, integers as they are and other numbers to 3 decimals', async () => {
    const ctx = await contextOf('cosineSimilarity', 'pairs', 'cos', () => 0.5);
    const message = (await check('cosineSimilarity', ctx)).message;
    expect(message).toMatch(/^cosineSimilarity\(\[-?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}, -?\d+\.\d{3}\], \[-?\d+\.\d{3}(, -?\d+\.\d{3}){4}\]\): /);
    expect(message).toContain('cosineSimilarity([3, 4], [6, 8]): ');
    expect(message).toContain('cosineSimilarity([1, 0, 0], [0, 0, 0]): ');
  });

  it('mostSimilar names rows by index; cooccurrenceMatrix counts words × words and draws the hand-made case', async () => {
    const ranking = await contextOf('mostSimilar', '12 vectors', 'msg', (vectors, _query, topN) => Array.from({ length: Math.min(topN as number, (vectors as Matrix).length) }, (_, i) => i));
    expect((await check('mostSimilar', ranking)).message).toMatch(/^result \d+ is row \d+, /);
    const hand = await contextOf('cooccurrenceMatrix', 'three sentences', 'msg');
    const drawn = await check('cooccurrenceMatrix', hand);
    expect(drawn.figures?.map((f) => f.title)).toEqual(['Co-occurrence counts']);
    expect(drawn.figures?.[0].caption).toBe('Your counts for the sentences "we the people of the united states", "the people the people", "states" with window 2 ("we" and "of" are not in the vocabulary but keep their places).');
    expect((await check('cooccurrenceMatrix', { ...hand, visible: false })).figures).toBeUndefined();
    const random = await contextOf('cooccurrenceMatrix', 'random sentences, windows 1', 'msg');
    expect((await check('cooccurrenceMatrix', random)).figures).toBeUndefined();
    const wrong = await contextOf('cooccurrenceMatrix', 'three sentences', 'msg', () => [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    const verdict = await check('cooccurrenceMatrix', wrong);
    expect(verdict.message).toBe('entry [0][0] (word 0, word 0) is 0; expected 2');
    expect(verdict.figures).toBeUndefined();
  });

  it('ppmi and sentenceFeatures compare to the stated tolerance', async () => {
    const ppmi = await contextOf('ppmi', 'a 3×3 matrix', 'msg', (C) => reference.ppmi(C as Matrix).map((row) => row.map((x) => x * (1 + 1e-8))));
    expect((await check('ppmi', ppmi)).score).toBe(0);
    const close = await contextOf('ppmi', 'a 3×3 matrix', 'msg', (C) => reference.ppmi(C as Matrix).map((row) => row.map((x) => x * (1 + 1e-10))));
    expect((await check('ppmi', close)).score).toBe(1);
    const features = await contextOf('sentenceFeatures', 'sentences with stop words', 'msg', (...args) => (reference.sentenceFeatures as (...a: unknown[]) => number[])(...args).map((x) => x + 1e-8));
    expect((await check('sentenceFeatures', features)).score).toBe(0);
  });

  it('the word groups: the worst group is named with its cosines', async () => {
    const ctx = await contextOf('wordEmbeddings', 'the State of the Union: PPMI', 'groups');
    // The words in reverse order: M and its embedding both reversed, a correct factorization of
    // the reversed matrix whose rows no longer belong to their words.
    const [M, k] = ctx.args as [Matrix, number];
    const reversed = [...M].reverse().map((row) => [...row].reverse());
    const E = [...(ctx.output as Matrix)].reverse();
    const verdict = await check('wordEmbeddings', { ...ctx, args: [reversed, k], output: E, expected: E, calls: [{ args: [reversed, k], output: E, expected: E }] });
    expect(verdict.score).toBe(0);
    const groups = groupSimilarities(E, sotuVocabulary(WORD_MIN_COUNT), WORD_GROUPS);
    const worst = [...groups].sort((a, b) => a.within - a.between - (b.within - b.between))[0];
    expect(verdict.message).toBe(
      `the ${worst.group} words (${WORD_GROUPS[worst.group].join(', ')}) are not kept together: mean cosine ${worst.within.toFixed(2)} among themselves, ${worst.between.toFixed(2)} with the other groups' words (the first must exceed the second by 0.1)`,
    );
    expect(verdict.details).toEqual(Object.fromEntries(groups.map((g) => [g.group, g.within - g.between])));
    expect(verdict.figures).toBeUndefined();
    // The hidden case is judged the same way.
    const hidden = await contextOf('wordEmbeddings', 'the State of the Union: 80 %', 'groups', undefined, false);
    const [H, kh] = hidden.args as [Matrix, number];
    const reversedH = [...H].reverse().map((row) => [...row].reverse());
    const EH = [...(hidden.output as Matrix)].reverse();
    expect((await check('wordEmbeddings', { ...hidden, args: [reversedH, kh], output: EH, expected: EH, calls: [{ args: [reversedH, kh], output: EH, expected: EH }] })).message).toMatch(/^the [a-z]+ words/);
    expect(await check('wordEmbeddings', hidden)).toMatchObject({ score: 1 });
    // A wrong structure is reported as such, before the groups.
    const unscaled = { ...ctx, output: (ctx.output as Matrix).map((row) => row.map((x) => 2 * x)) };
    expect((await check('wordEmbeddings', { ...unscaled, calls: [{ args: ctx.args, output: unscaled.output, expected: ctx.expected }] })).message).toMatch(/^column 0 of the embeddings has squared length/);
  }, 60_000);

  it('generated corpora use the word list', () => {
    const docs = randomDocs(createRng('docs'), WORDS, 3, 2, 4);
    expect(docs.flat().every((w) => WORDS.includes(w))).toBe(true);
  });
});
