/**
 * The check code of assignments/text-embeddings: the functions of checks.ts with their
 * boundaries pinned, every problem's check on contexts built like grading builds them, and the
 * detectors of the mistakes that are not `sameAs` a mistake file. (text-embeddings-students.test.ts
 * replays the whole pipeline for the reference and each declared mistake.)
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
  RANK_TOLERANCE,
  spectrum,
  SPECTRA_KEPT,
  sureTie,
} from '../../assignments/text-embeddings/checks.ts';
import {
  countsPerDocument,
  LSA_MIN_COUNT,
  pairCounts,
  positivePmi,
  randomDocs,
  randomText,
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
import { singularValues } from '../src/linalg/svd.ts';
import { chartTexts, problemTools, PROJECT_ROOT } from './helpers.ts';

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

  it('spectrum remembers the singular values of the last few matrices by content', () => {
    const M = [[2, 1], [1, 3]];
    const S = spectrum(M);
    expect(S).toEqual(singularValues(M));
    expect(spectrum(M.map((row) => [...row]))).toBe(S);
    // Same numbers, another shape: another matrix.
    expect(spectrum([[2, 1, 1, 3]])).not.toBe(S);
    expect(spectrum([[2, 1, 1, 3]])).toEqual(singularValues([[2, 1, 1, 3]]));
    expect(spectrum([[2], [1], [1], [3]])).toEqual([Math.sqrt(15)]);
    for (let i = 0; i < SPECTRA_KEPT; i++) spectrum([[i + 10]]);
    expect(spectrum(M)).not.toBe(S);
    expect(spectrum([[SPECTRA_KEPT + 9]])).toBe(spectrum([[SPECTRA_KEPT + 9]]));
  });

  it('hasGap', () => {
    expect(hasGap([3, 2, 1], 1)).toBe(true);
    expect(hasGap([3, 3, 1], 1)).toBe(false);
    expect(hasGap([3, 3, 1], 3)).toBe(true);
    expect(hasGap([1, 1 - 5e-7], 1)).toBe(false);
    expect(hasGap([1, 1 - 2e-6], 1)).toBe(true);
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
    const wrongS = checkLsa(X, 2, { ...answer, singularValues: [S[0], S[1] * 1.01] }, S);
    expect(wrongS.message).toMatch(/^singularValues\[1\] is [\d.]+; expected [\d.]+, the 2nd largest singular value of X \(X itself: do not centre it\)$/);
    const scaled = { ...answer, wordVectors: answer.wordVectors.map((r) => r.map((x) => 2 * x)) };
    expect(checkLsa(X, 2, scaled, S).message).toMatch(/^the columns of wordVectors are not orthonormal: entry \(\d, \d\) of wordVectorsᵀ·wordVectors is off from the identity by 3 \(wordVectors = V_k, unscaled\)/);
    const unscaled = { ...answer, documentVectors: answer.documentVectors.map((r) => r.map((x, j) => x / S[j])) };
    expect(checkLsa(X, 2, unscaled, S).message).toMatch(/^documentVectors is not X·wordVectors: .*documentVectorsᵀ·documentVectors should be diag\(σ₁², …, σ_k²\)/s);
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
    expect(checkWordEmbeddings(E.map((r) => r.map((x) => 2 * x)), 8, 3, E, S).message).toMatch(/^column 0 of the embeddings has squared length [\d.]+; U_k·sqrt\(Σ_k\)'s column j has squared length σ_j = [\d.]+/);
    // Columns 0 and 1 mixed by a small rotation: their inner product changes more than their lengths.
    const [c, s] = [Math.cos(0.1), Math.sin(0.1)];
    const mixed = E.map((r) => [c * r[0] + s * r[1], c * r[1] - s * r[0], r[2]]);
    expect(checkWordEmbeddings(mixed, 8, 3, E, S).message).toMatch(/^columns 0 and 1 of the embeddings are not orthogonal \(inner product -?[\d.]+\): the columns of U_k are/);
    // The right lengths on the wrong vectors: another row order keeps EᵀE but changes E·Eᵀ.
    const swapped = [E[1], E[0], ...E.slice(2)];
    expect(checkWordEmbeddings(swapped, 8, 3, E, S).message).toMatch(/^the embeddings' inner products differ from U_k·Σ_k·U_kᵀ: words \d+ and \d+ have -?[\d.]+, expected -?[\d.]+; use the top k singular vectors of M/);
    // Without a gap at k the inner products are not compared: the swapped rows pass.
    const tied = [S[0], S[1], S[2], S[2], ...S.slice(4)];
    expect(checkWordEmbeddings(swapped, 8, 3, E, tied).score).toBe(1);
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
  }, 60_000);

  it('the hidden LSA case draws 80 % of the addresses again from the case seed', async () => {
    const ctx = await contextOf('lsa', 'the State of the Union: 80 %', 'lsa-hidden', undefined, false);
    const [X] = ctx.args as [Matrix, number];
    expect(X.length).toBeGreaterThan(150);
    expect(X.length).toBeLessThan(233);
    const verdict = await check('lsa', ctx);
    expect(verdict).toMatchObject({ score: 1 });
    expect(verdict.figures).toBeUndefined();
  }, 60_000);

  it('the word-embedding case: the reference passes with a table; random embeddings fail the groups', async () => {
    const ctx = await contextOf('wordEmbeddings', 'the State of the Union: PPMI', 'we-sotu');
    const verdict = await check('wordEmbeddings', ctx);
    expect(verdict.score).toBe(1);
    expect(verdict.message).toMatch(/^every word group is kept together \(mean cosine within vs with other groups: military 0\.\d\d vs 0\.\d\d; finance/);
    expect(verdict.figures?.[0].title).toBe('Nearest words in your embeddings');
    expect(verdict.figures![0].data).toContain('navy');
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

  it('every problem passes the reference on its visible cases', async () => {
    for (const p of assignment.problems) {
      for (const c of p.cases.filter((x) => (x.visibility ?? 'visible') === 'visible' && !x.name.startsWith('the State of the Union'))) {
        const ctx = await contextOf(p.export, c.name, 'all');
        expect((await p.check(ctx)).score, `${p.export} / ${c.name}`).toBe(1);
      }
    }
  }, 60_000);

  it('generated corpora use the word list', () => {
    const docs = randomDocs(createRng('docs'), WORDS, 3, 2, 4);
    expect(docs.flat().every((w) => WORDS.includes(w))).toBe(true);
  });
});
