import { defineAssignment, problem } from '../../grader/src/assignment/define.ts';
import type { CheckContext } from '../../grader/src/assignment/define.ts';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { allClose } from '../../grader/src/checks/allclose.ts';
import { sameAs } from '../../grader/src/checks/mistakes.ts';
import { finiteNumber, matrix, record, strings, vector } from '../../grader/src/checks/values.ts';
import { allOf, invariant, labelled, type Verdict } from '../../grader/src/checks/verdict.ts';
import { englishStopWords, SOTU_CREDIT, sotuSpeeches, STOPWORDS_CREDIT } from '../../grader/src/data/sotu.ts';
import { centerColumns } from '../../grader/src/linalg/dense.ts';
import { singularValues } from '../../grader/src/linalg/svd.ts';
import { heatMap, scatterPlot, textTable } from '../../grader/src/report/figures.ts';
import * as reference from '../../solutions/text-embeddings/text.ts';
import type { Matrix } from '../../solutions/text-embeddings/text.ts';
import {
  checkCountMatrix,
  checkLsa,
  checkRanking,
  checkStrings,
  checkWordEmbeddings,
  cosine,
  ERA_SHARE,
  ERA_SPAN,
  GROUP_MARGIN,
  groupSimilarities,
  type LsaAnswer,
  nearestWithinYears,
  spectrum,
} from './checks.ts';
import {
  countMatrix,
  countsPerDocument,
  LSA_MIN_COUNT,
  pairCounts,
  positivePmi,
  randomDocs,
  randomText,
  shuffledWords,
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
} from './data.ts';
import * as keepsDigits from './mistakes/tokenize-keeps-digits.ts';
import * as looseApostrophes from './mistakes/tokenize-loose-apostrophes.ts';
import * as noLowercase from './mistakes/tokenize-no-lowercase.ts';
import * as splitsApostrophes from './mistakes/tokenize-splits-apostrophes.ts';
import * as stopUnique from './mistakes/stopwords-unique.ts';
import * as byCount from './mistakes/vocabulary-by-count.ts';
import * as documentFrequency from './mistakes/vocabulary-document-frequency.ts';
import * as strictMin from './mistakes/vocabulary-strict-min.ts';
import * as binary from './mistakes/tdm-binary.ts';
import * as transposed from './mistakes/tdm-transposed.ts';
import * as cosineDot from './mistakes/cosine-dot.ts';
import * as tiesHigh from './mistakes/most-similar-ties-high.ts';
import * as byDot from './mistakes/most-similar-dot.ts';
import * as ascending from './mistakes/most-similar-ascending.ts';
import * as oneSided from './mistakes/cooccurrence-one-sided.ts';
import * as windowExclusive from './mistakes/cooccurrence-window-exclusive.ts';
import * as dropsOov from './mistakes/cooccurrence-drops-oov.ts';
import * as acrossSentences from './mistakes/cooccurrence-across-sentences.ts';
import * as noLog from './mistakes/ppmi-no-log.ts';
import * as negative from './mistakes/ppmi-negative.ts';
import * as log2 from './mistakes/ppmi-log2.ts';
import * as keepsQueries from './mistakes/analogy-keeps-queries.ts';
import * as reversed from './mistakes/analogy-reversed.ts';
import * as featuresSum from './mistakes/features-sum.ts';
import * as keepsStopWords from './mistakes/features-keeps-stop-words.ts';
import * as allTokens from './mistakes/features-all-tokens.ts';

/** Numbers computed with rounding: a correct answer is within 1e-9 relative (or 1e-12) of the reference's. */
const TOLERANCE = { rtol: 1e-9, atol: 1e-12 } as const;

const STOP_WORDS = englishStopWords();

/** A stretch of about `length` characters of a random address (typographic apostrophes already made ASCII). */
function passage(rng: Rng, length: number): string {
  const speeches = sotuSpeeches();
  const { text } = speeches[rng.int(0, speeches.length - 1)];
  const start = rng.int(0, Math.max(0, text.length - length));
  return text.slice(start, start + length);
}

const HAND_TEXT = "Don't STOP: it's 5 o'clock -- the U.S. Navy's 'best' rock'n'roll café, naïve e-mail a''b ''quoted'' states' end.\nNew line 1776x2y";

// ── lsa ─────────────────────────────────────────────────────────────────────────────────────

const LSA_SOTU = 'the State of the Union: 233 addresses × 1006 words, k = 20';
const LSA_SOTU_HIDDEN = 'the State of the Union: 80 % of the addresses, k from 15 to 30';

function lsaSotuArgs(keep: number) {
  return (rng: Rng): [Matrix, number] => {
    const X = countsPerDocument(someSpeeches(rng, keep).map((s) => s.tokens), sotuVocabulary(LSA_MIN_COUNT));
    return [X, keep < 1 ? rng.int(15, 30) : 20];
  };
}

function checkLsaCase(ctx: CheckContext<[Matrix, number], LsaAnswer>): Verdict {
  const [X, k] = ctx.args;
  const structure = checkLsa(X, k, ctx.output, ctx.expected.singularValues);
  if (structure.score < 1 || (ctx.caseName !== LSA_SOTU && ctx.caseName !== LSA_SOTU_HIDDEN)) return structure;
  // The generator draws the addresses first: drawn again from the case's seed, with their years.
  const years = someSpeeches(ctx.inputRng(), ctx.caseName === LSA_SOTU ? 1 : 0.8).map((s) => s.year);
  const share = nearestWithinYears(ctx.output.documentVectors, years, ERA_SPAN);
  const verdict = invariant(
    // Stryker disable next-line EqualityOperator: shares are multiples of 1/233 or so, and ERA_SHARE is none of them
    share >= ERA_SHARE,
    `only ${(100 * share).toFixed(0)} % of the addresses have their most similar other address (cosine of documentVectors) within ${ERA_SPAN} years; at least ${(100 * ERA_SHARE).toFixed(0)} % should`,
    { share },
  );
  const result = { ...verdict, message: verdict.score === 1 ? `${(100 * share).toFixed(0)} % of the addresses are nearest to one within ${ERA_SPAN} years (at least ${(100 * ERA_SHARE).toFixed(0)} % needed)` : verdict.message, metrics: { share } };
  if (!ctx.visible || result.score < 1) return result;
  const figure = scatterPlot(
    'The addresses in your LSA space',
    lsaPoints(ctx.output.documentVectors, years),
    { xLabel: 'coordinate 2 / length', yLabel: 'coordinate 3 / length', caption: `Each address's document vector, coordinates 2 and 3 divided by its length (coordinate 1 mostly measures length), coloured by half-century. ${SOTU_CREDIT}` },
  );
  return { ...result, figures: [figure] };
}

/** Each document's coordinates 2 and 3 divided by its vector's length, grouped by half-century. */
export function lsaPoints(D: Matrix, years: readonly number[]): Array<{ x: number; y: number; group: string }> {
  return D.map((row, i) => {
    const length = Math.hypot(...row);
    return { x: row[1] / length, y: row[2] / length, group: `${Math.floor(years[i] / 50) * 50}s` };
  });
}

// ── cooccurrence and embeddings on the addresses ────────────────────────────────────────────

const HAND_SENTENCES = [['we', 'the', 'people', 'of', 'the', 'united', 'states'], ['the', 'people', 'the', 'people'], ['states']];
const HAND_VOCABULARY = ['people', 'states', 'the', 'united'];

/** The sentences of the addresses of one decade (drawn from the seed), for exact counts. */
function decadeSentences(rng: Rng): string[][] {
  const decade = 10 * rng.int(179, 201);
  return sotu()
    .filter((s) => s.year >= decade && s.year < decade + 10)
    .flatMap((s) => s.sentences);
}

/** A decade's sentences, its `size` most frequent words (sorted; ties to the earlier word) and a window: a small co-occurrence case. */
function decadeCase(rng: Rng, size: number, window: number): [string[][], string[], number] {
  const sentences = decadeSentences(rng);
  const uses = countsPerDocument([sentences.flat()], wordsUsed(sentences, 1))[0];
  const vocabulary = wordsUsed(sentences, 1)
    .map((word, j) => ({ word, uses: uses[j] }))
    .sort((a, b) => b.uses - a.uses || (a.word < b.word ? -1 : 1))
    .slice(0, size)
    .map(({ word }) => word)
    .sort();
  return [sentences, vocabulary, window];
}

/** The PPMI matrix of the addresses' co-occurrences (502 words), from all or a share of them, with a window. */
function sotuPpmi(rng: Rng, keep: number, window: number): Matrix {
  return positivePmi(pairCounts(someSpeeches(rng, keep).flatMap((s) => s.sentences), sotuVocabulary(WORD_MIN_COUNT), window));
}

const EMBED_SOTU = 'the State of the Union: PPMI of 502 words (window 5), k = 50';
const EMBED_SOTU_HIDDEN = 'the State of the Union: 80 % of the addresses, window 2 to 6, k from 20 to 60';

function embedSotuArgs(keep: number) {
  return (rng: Rng): [Matrix, number] => {
    if (keep === 1) return [sotuPpmi(rng, 1, 5), 50];
    const M = sotuPpmi(rng, keep, rng.int(2, 6));
    return [M, rng.int(20, 60)];
  };
}

/** The `count` words most similar to `word` by cosine of their embeddings, most similar first (ties to the lower index). */
export function nearestWords(E: Matrix, vocabulary: readonly string[], word: string, count: number): string[] {
  const i = vocabulary.indexOf(word);
  return vocabulary
    .map((_, j) => ({ j, similarity: cosine(E[i], E[j]) }))
    .filter(({ j }) => j !== i)
    .sort((a, b) => b.similarity - a.similarity || a.j - b.j)
    .slice(0, count)
    .map(({ j }) => vocabulary[j]);
}

export const NEIGHBOUR_WORDS = ['war', 'tax', 'children', 'britain', 'june', 'congress', 'education', 'gold'];

function checkEmbeddingCase(ctx: CheckContext<[Matrix, number], Matrix>): Verdict {
  const [M, k] = ctx.args;
  const structure = checkWordEmbeddings(ctx.output, M.length, k, ctx.expected, spectrum(M));
  if (structure.score < 1 || (ctx.caseName !== EMBED_SOTU && ctx.caseName !== EMBED_SOTU_HIDDEN)) return structure;
  const vocabulary = sotuVocabulary(WORD_MIN_COUNT);
  const groups = groupSimilarities(ctx.output, vocabulary, WORD_GROUPS);
  const worst = groups.reduce((a, b) => (b.within - b.between < a.within - a.between ? b : a));
  const verdict = invariant(
    // Stryker disable next-line EqualityOperator: a margin of exactly 0.1, to the last bit, has probability zero
    worst.within - worst.between >= GROUP_MARGIN,
    `the ${worst.group} words (${WORD_GROUPS[worst.group].join(', ')}) are not kept together: mean cosine ${worst.within.toFixed(2)} among themselves, ${worst.between.toFixed(2)} with the other groups' words (the first must exceed the second by ${GROUP_MARGIN})`,
    Object.fromEntries(groups.map((g) => [g.group, g.within - g.between])),
  );
  const summary = groups.map((g) => `${g.group} ${g.within.toFixed(2)} vs ${g.between.toFixed(2)}`).join('; ');
  const result = { ...verdict, message: verdict.score === 1 ? `every word group is kept together (mean cosine within vs with other groups: ${summary})` : verdict.message };
  if (!ctx.visible || result.score < 1) return result;
  const rows = NEIGHBOUR_WORDS.map((word) => [word, nearestWords(ctx.output, vocabulary, word, 6).join(', ')]);
  const table = textTable('Nearest words in your embeddings', ['word', 'most similar words (cosine)'], rows, { caption: `Computed from your wordEmbeddings of the addresses' PPMI matrix. ${SOTU_CREDIT} ${STOPWORDS_CREDIT}` });
  return { ...result, figures: [table] };
}

// ── generated cases ─────────────────────────────────────────────────────────────────────────

/** A vocabulary with planted analogies: e(d) = e(b) − e(a) + e(c) + a little noise, a duplicate row and a doubled row for ties. */
function analogyEmbeddings(rng: Rng, size: number, k: number): { embeddings: Matrix; vocabulary: string[] } {
  const vocabulary = shuffledWords(rng).slice(0, size).sort();
  const embeddings = vocabulary.map(() => rng.vector(k, () => Math.round(rng.normal() * 1000) / 1000));
  const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map(() => rng.int(0, size - 1));
  embeddings[d] = embeddings[b].map((x, j) => Math.round((x - embeddings[a][j] + embeddings[c][j] + 0.05 * rng.normal()) * 1000) / 1000);
  embeddings[e] = [...embeddings[f]];
  embeddings[rng.int(0, size - 1)] = embeddings[rng.int(0, size - 1)].map((x) => 2 * x);
  return { embeddings, vocabulary };
}

type AnalogyArgs = [Matrix, string[], string, string, string, number?];

/** Three distinct words of the vocabulary. */
function threeWords(rng: Rng, vocabulary: string[]): [string, string, string] {
  const picked = new Set<string>();
  while (picked.size < 3) picked.add(rng.pick(vocabulary));
  return [...picked] as [string, string, string];
}

function analogyCalls(size: number, k: number) {
  return (rng: Rng): AnalogyArgs[] => {
    const { embeddings, vocabulary } = analogyEmbeddings(rng, size, k);
    return [
      [embeddings, vocabulary, ...threeWords(rng, vocabulary)],
      [embeddings, vocabulary, ...threeWords(rng, vocabulary), 4],
      [embeddings, vocabulary, ...threeWords(rng, vocabulary), size],
    ];
  };
}

function checkAnalogy({ calls }: CheckContext<AnalogyArgs, string[]>): Verdict {
  return allOf(
    calls.map(({ args: [embeddings, vocabulary, a, b, c, topN = 1], output }) => {
      // The grader's own target and candidates: b's row minus a's plus c's, every other word.
      const [from, to, like] = [a, b, c].map((word) => vocabulary.indexOf(word));
      const target = embeddings[to].map((x, j) => x + embeddings[like][j] - embeddings[from][j]);
      const candidates = vocabulary.map((_, i) => i).filter((i) => i !== from && i !== to && i !== like);
      const verdict = checkRanking(
        output.map((word) => vocabulary.indexOf(word)),
        embeddings,
        target,
        candidates,
        Math.min(topN, candidates.length),
        (i) => (i >= 0 ? `"${vocabulary[i]}"` : 'a word not in the vocabulary'),
      );
      return verdict.score < 1 ? { ...verdict, message: `"${a}" is to "${b}" as "${c}" is to … (topN ${topN}): ${verdict.message}` } : verdict;
    }),
  );
}

type FeatureArgs = [string[], Matrix, string[], string[]];

function featureCalls(k: number) {
  return (rng: Rng): FeatureArgs[] => {
    const vocabulary = shuffledWords(rng).slice(0, 20).sort();
    const embeddings = vocabulary.map(() => rng.vector(k, () => rng.normal()));
    const stop = ['the', 'and', 'of', 'we', 'it'];
    const tokens = (length: number) => Array.from({ length }, () => (rng.next() < 0.2 ? rng.pick(['liberty', 'freedom', 'and', 'of']) : rng.pick(WORDS)));
    return [
      [tokens(12), embeddings, vocabulary, stop],
      [tokens(30), embeddings, vocabulary, stop],
      [['the', 'of', 'liberty', 'and'], embeddings, vocabulary, stop],
      [[], embeddings, vocabulary, stop],
    ];
  };
}

export default defineAssignment({
  id: 'text-embeddings',
  title: 'Text embeddings: LSA, co-occurrence, PPMI and word vectors',
  module: 'text.ts',
  problems: [
    problem({
      export: 'tokenize',
      title: 'Tokens',
      points: 4,
      reference: reference.tokenize,
      output: strings,
      cases: [
        { name: 'apostrophes, capitals, digits, accents and dashes', exact: true, args: () => [HAND_TEXT] },
        { name: 'a passage of a State of the Union address', exact: true, args: (rng) => [passage(rng, 600)] },
        { name: 'random texts', visibility: 'hidden', exact: true, calls: (rng) => [[randomText(rng, 40)], [randomText(rng, 80)], [''], [passage(rng, 1500)]] },
      ],
      check: ({ calls }) => allOf(calls.map(({ output, expected }) => checkStrings(output, expected, 'tokens'))),
      mistakes: [
        { id: 'tokenize-no-lowercase', hint: 'lower-case the text first: "Navy" and "navy" are one token, "navy"', matches: sameAs(noLowercase.tokenize) },
        { id: 'tokenize-splits-apostrophes', hint: `an apostrophe between letters belongs to the token: "don't" is one token, not "don" and "t"`, matches: sameAs(splitsApostrophes.tokenize) },
        { id: 'tokenize-keeps-digits', hint: 'tokens are made of the letters a–z (and inner apostrophes) only: digits separate tokens, so "1776x2y" gives "x" and "y"', matches: sameAs(keepsDigits.tokenize) },
        { id: 'tokenize-loose-apostrophes', hint: `an apostrophe belongs to a token only between two letters: "'best'" gives "best", and "a''b" gives "a" and "b"`, matches: sameAs(looseApostrophes.tokenize) },
      ],
    }),
    problem({
      export: 'removeStopWords',
      title: 'Stop words',
      points: 2,
      reference: reference.removeStopWords,
      output: strings,
      cases: [
        { name: 'a passage of an address, the package’s 301 stop words', exact: true, args: (rng) => [words(passage(rng, 800)), STOP_WORDS] },
        {
          name: 'random tokens, a few stop words',
          visibility: 'hidden',
          exact: true,
          calls: (rng) => [[randomDocs(rng, shuffledWords(rng), 1, 40, 60)[0], ['the', 'and', 'of', 'we', 'the']], [['the', 'the'], ['the']], [[], STOP_WORDS]],
        },
      ],
      check: ({ calls }) => allOf(calls.map(({ output, expected }) => checkStrings(output, expected, 'tokens'))),
      mistakes: [{ id: 'stopwords-unique', hint: 'keep every remaining token, repeats included: only stop words are removed', matches: sameAs(stopUnique.removeStopWords) }],
    }),
    problem({
      export: 'buildVocabulary',
      title: 'The vocabulary',
      points: 4,
      reference: reference.buildVocabulary,
      output: strings,
      cases: [
        {
          name: 'six documents: the default minCount, then minCount 3; three documents by hand, minCount 3',
          exact: true,
          calls: (rng) => {
            const docs = randomDocs(rng, shuffledWords(rng), 6, 5, 15);
            return [[docs], [docs, 3], [[['tax', 'war', 'tax', 'tax'], ['war', 'peace'], ['war', 'law', 'peace']], 3]];
          },
        },
        {
          name: 'random corpora, minCount 2 and 6',
          visibility: 'hidden',
          exact: true,
          calls: (rng) => [[randomDocs(rng, shuffledWords(rng), 10, 3, 20), 2], [randomDocs(rng, shuffledWords(rng), 4, 20, 40), 6], [[[]]]],
        },
      ],
      check: ({ calls }) => allOf(calls.map(({ output, expected }) => checkStrings(output, expected, 'words'))),
      mistakes: [
        { id: 'vocabulary-document-frequency', hint: 'count every occurrence of a word, over all documents: a word used 3 times in one document counts 3, not 1', matches: sameAs(documentFrequency.buildVocabulary) },
        { id: 'vocabulary-strict-min', hint: 'keep the words that occur at least minCount times: a word occurring exactly minCount times is in', matches: sameAs(strictMin.buildVocabulary) },
        { id: 'vocabulary-by-count', hint: 'sort the vocabulary alphabetically (.sort() without a comparator), not by frequency', matches: sameAs(byCount.buildVocabulary) },
      ],
    }),
    problem({
      export: 'termDocumentMatrix',
      title: 'The term–document matrix',
      points: 4,
      reference: reference.termDocumentMatrix,
      output: matrix,
      cases: [
        {
          name: 'eight documents, a vocabulary of the words used at least twice',
          exact: true,
          args: (rng) => {
            const docs = randomDocs(rng, shuffledWords(rng), 8, 4, 12);
            return [docs, wordsUsed(docs, 2)];
          },
        },
        {
          name: 'random corpora',
          visibility: 'hidden',
          exact: true,
          calls: (rng) => {
            const docs = randomDocs(rng, shuffledWords(rng), 15, 1, 30);
            return [[docs, wordsUsed(docs, 3)], [docs, WORDS]];
          },
        },
      ],
      check: ({ calls }) => allOf(calls.map(({ output, expected }) => checkCountMatrix(output, expected, 'document', 'word'))),
      mistakes: [
        { id: 'tdm-binary', hint: 'X[i][j] counts how many times the word occurs in the document, not just whether it does', matches: sameAs(binary.termDocumentMatrix) },
        { id: 'tdm-transposed', hint: 'rows are documents and columns are words: X is documents × words', matches: sameAs(transposed.termDocumentMatrix) },
      ],
    }),
    problem({
      export: 'lsa',
      title: 'Latent semantic analysis',
      points: 10,
      timeoutMs: 15_000,
      reference: reference.lsa,
      output: record({ documentVectors: matrix, wordVectors: matrix, singularValues: vector }),
      cases: [
        { name: 'a 8×12 count matrix, k = 3', args: (rng) => [countMatrix(rng, 8, 12), 3] },
        { name: 'a 15×6 count matrix, k = 2', args: (rng) => [countMatrix(rng, 15, 6), 2] },
        // The same matrix for every student: one student's check is every student's (the sandbox grades two).
        { name: LSA_SOTU, args: lsaSotuArgs(1), checkStudents: 1 },
        { name: 'random count matrices', visibility: 'hidden', calls: (rng) => [[countMatrix(rng, 20, 30), 5], [countMatrix(rng, 30, 10), 4]] },
        // About 1.2 s per student for the reference (ml-matrix) and 0.5 s for the inputs and checks.
        { name: LSA_SOTU_HIDDEN, visibility: 'hidden', args: lsaSotuArgs(0.8), checkStudents: 10 },
      ],
      check: (ctx) => (ctx.calls.length > 1 ? allOf(ctx.calls.map(({ args: [X, k], output, expected }) => checkLsa(X, k, output, expected.singularValues))) : checkLsaCase(ctx)),
      mistakes: [
        {
          id: 'lsa-no-sigma',
          hint: 'documentVectors is U_k·Σ_k: scale column j of U by σ_j (your documentVectors have unit-length columns, which is U_k alone)',
          matches: ({ output }) => unitColumns(output.documentVectors),
        },
        {
          id: 'lsa-words-scaled',
          hint: 'wordVectors is V_k itself, with unit-length columns: only documentVectors is scaled by Σ_k',
          matches: ({ output }) =>
            !unitColumns(output.wordVectors) &&
            output.wordVectors.length > 0 &&
            // Stryker disable next-line EqualityOperator: a length off by exactly 1e-6·σ₁, to the last bit, has probability zero
            columnLengths(output.wordVectors).every((length, j) => Math.abs(length - output.singularValues[j]) <= 1e-6 * output.singularValues[0]),
        },
        {
          id: 'lsa-centered',
          hint: 'LSA factors X itself: do not subtract the column means (that would be PCA)',
          matches: ({ args: [X, k], output }) => {
            const centred = singularValues(centerColumns(X).centered);
            return (
              output.singularValues.length === k &&
              // Stryker disable next-line EqualityOperator: a singular value off by exactly 1e-6·σ₁, to the last bit, has probability zero
              output.singularValues.every((s, i) => Math.abs(s - centred[i]) <= 1e-6 * centred[0])
            );
          },
        },
      ],
    }),
    problem({
      export: 'cosineSimilarity',
      title: 'Cosine similarity',
      points: 2,
      reference: reference.cosineSimilarity,
      output: finiteNumber,
      cases: [
        {
          name: 'pairs of vectors, a zero vector among them',
          calls: (rng) => [
            [rng.vector(5, () => rng.normal()), rng.vector(5, () => rng.normal())],
            [[3, 4], [6, 8]],
            [[1, 0, 0], [0, 0, 0]],
            [rng.vector(4, () => rng.int(-3, 3)), rng.vector(4, () => rng.int(-3, 3))],
          ],
        },
        { name: 'random pairs', visibility: 'hidden', calls: (rng) => [[rng.vector(50, () => 10 * rng.normal()), rng.vector(50, () => rng.normal())], [[0, 0], [0, 0]], [[2, -1], [-4, 2]]] },
      ],
      check: ({ calls }) => allOf(calls.map(({ args: [a, b], output, expected }) => labelled(`cosineSimilarity([${a.map(short).join(', ')}], [${b.map(short).join(', ')}])`, allClose(output, expected, TOLERANCE)))),
      mistakes: [{ id: 'cosine-dot', hint: 'divide the dot product by the two vectors’ lengths ‖a‖·‖b‖ (and return 0 when one of them is zero)', matches: sameAs(cosineDot.cosineSimilarity) }],
    }),
    problem({
      export: 'mostSimilar',
      title: 'Most similar vectors',
      points: 4,
      reference: reference.mostSimilar,
      output: vector,
      cases: [
        {
          name: '12 vectors with exact ties, top 5 and more than there are',
          calls: (rng) => {
            const { vectors, query } = tiedVectors(rng, 12, 4);
            return [[vectors, query, 5], [vectors, query, 20]];
          },
        },
        {
          name: 'random vectors with ties',
          visibility: 'hidden',
          calls: (rng) => {
            const { vectors, query } = tiedVectors(rng, 30, 6);
            return [[vectors, query, 8], [vectors, query, 1]];
          },
        },
      ],
      check: ({ calls }) => allOf(calls.map(({ args: [vectors, query, topN], output }) => checkRanking(output, vectors, query, vectors.map((_, i) => i), Math.min(topN, vectors.length), (i) => `row ${i}`))),
      mistakes: [
        { id: 'most-similar-ties-high', hint: 'rows with equal similarity go in increasing index order: break ties by the lower index', matches: sameAs(tiesHigh.mostSimilar) },
        { id: 'most-similar-dot', hint: 'rank by cosine similarity, not by the dot product: a long vector is not more similar for its length', matches: sameAs(byDot.mostSimilar) },
        { id: 'most-similar-ascending', hint: 'the most similar row comes first: sort by decreasing cosine similarity', matches: sameAs(ascending.mostSimilar) },
      ],
    }),
    problem({
      export: 'cooccurrenceMatrix',
      title: 'Word co-occurrence',
      points: 6,
      reference: reference.cooccurrenceMatrix,
      output: matrix,
      cases: [
        { name: 'three sentences by hand, window 2', exact: true, args: () => [HAND_SENTENCES, HAND_VOCABULARY, 2] },
        {
          name: 'random sentences, windows 1 and 3',
          exact: true,
          calls: (rng) => {
            const sentences = randomDocs(rng, shuffledWords(rng), 12, 1, 10);
            const vocabulary = wordsUsed(sentences, 2);
            return [[sentences, vocabulary, 1], [sentences, vocabulary, 3]];
          },
        },
        { name: "the addresses of a decade, the decade's 40 most frequent words, window 5", exact: true, args: (rng) => decadeCase(rng, 40, 5) },
        {
          name: 'random sentences, windows 2 and 4',
          visibility: 'hidden',
          exact: true,
          calls: (rng) => {
            const sentences = randomDocs(rng, shuffledWords(rng), 30, 1, 15);
            return [[sentences, wordsUsed(sentences, 3), 2], [sentences, WORDS, 4]];
          },
        },
        // About 0.2 s per student (35,000 tokens in, 502×502 counts out and compared).
        { name: 'the addresses of a decade, the 502 most frequent words of all, window 5', visibility: 'hidden', exact: true, args: (rng) => [decadeSentences(rng), sotuVocabulary(WORD_MIN_COUNT), 5], checkStudents: 10 },
      ],
      check: (ctx) => {
        const verdict = allOf(ctx.calls.map(({ output, expected }) => checkCountMatrix(output, expected, 'word', 'word')));
        if (!ctx.visible || verdict.score < 1 || ctx.args[1] !== HAND_VOCABULARY) return verdict;
        const caption = `Your counts for the sentences ${HAND_SENTENCES.map((s) => `"${s.join(' ')}"`).join(', ')} with window 2 ("we" and "of" are not in the vocabulary but keep their places).`;
        return { ...verdict, figures: [heatMap('Co-occurrence counts', ctx.output, HAND_VOCABULARY, HAND_VOCABULARY, { caption })] };
      },
      mistakes: [
        { id: 'cooccurrence-one-sided', hint: 'count each pair both ways: add 1 to C[a][b] and to C[b][a], so C is symmetric', matches: sameAs(oneSided.cooccurrenceMatrix) },
        { id: 'cooccurrence-window-exclusive', hint: 'words at distance exactly `window` count too: distances 1, 2, …, window', matches: sameAs(windowExclusive.cooccurrenceMatrix) },
        { id: 'cooccurrence-drops-oov', hint: 'tokens outside the vocabulary keep their positions: skip them when counting, but do not remove them before measuring distances', matches: sameAs(dropsOov.cooccurrenceMatrix) },
        { id: 'cooccurrence-across-sentences', hint: 'windows stop at the end of a sentence: count pairs within each sentence separately', matches: sameAs(acrossSentences.cooccurrenceMatrix) },
      ],
    }),
    problem({
      export: 'ppmi',
      title: 'Positive pointwise mutual information',
      points: 5,
      reference: reference.ppmi,
      output: matrix,
      cases: [
        { name: 'a 3×3 matrix by hand', args: () => [[[0, 4, 1], [4, 2, 0], [1, 0, 6]]] },
        { name: 'a random 10×10 count matrix', args: (rng) => [symmetricCounts(rng, 10)] },
        { name: "the co-occurrence counts of a decade of addresses, the decade's 40 most frequent words", args: (rng) => [pairCounts(...decadeCase(rng, 40, 5))] },
        { name: 'random count matrices', visibility: 'hidden', calls: (rng) => [[symmetricCounts(rng, 25)], [symmetricCounts(rng, 4)]] },
        // About 0.2 s per student (the counts, then 502×502 logarithms compared).
        { name: 'the co-occurrence counts of a decade of addresses, 502 words', visibility: 'hidden', args: (rng) => [pairCounts(decadeSentences(rng), sotuVocabulary(WORD_MIN_COUNT), 5)], checkStudents: 10 },
      ],
      check: ({ calls }) => allOf(calls.map(({ output, expected }) => allClose(output, expected, TOLERANCE))),
      mistakes: [
        { id: 'ppmi-no-log', hint: 'take the logarithm: PMI is ln(C_ij·N / (row_i·col_j)), and your values are the ratio itself', matches: sameAs(noLog.ppmi) },
        { id: 'ppmi-negative', hint: 'clip at zero: PPMI is max(0, PMI), so no entry is negative', matches: sameAs(negative.ppmi) },
        { id: 'ppmi-log2', hint: 'use the natural logarithm (Math.log), not log base 2', matches: sameAs(log2.ppmi) },
      ],
    }),
    problem({
      export: 'wordEmbeddings',
      title: 'Word embeddings from a factorization',
      points: 10,
      timeoutMs: 30_000,
      reference: reference.wordEmbeddings,
      output: matrix,
      cases: [
        { name: 'the PPMI of a random 12×12 count matrix, k = 3', args: (rng) => [positivePmi(symmetricCounts(rng, 12)), 3] },
        // The same matrix for every student: one student's check is every student's (the sandbox grades two).
        { name: EMBED_SOTU, args: embedSotuArgs(1), checkStudents: 1 },
        { name: 'the PPMI of random count matrices', visibility: 'hidden', calls: (rng) => [[positivePmi(symmetricCounts(rng, 30)), 6], [positivePmi(symmetricCounts(rng, 8)), 8]] },
        // About 2.3 s per student for the reference (ml-matrix, 502×502) and 0.6 s for the inputs and checks.
        { name: EMBED_SOTU_HIDDEN, visibility: 'hidden', args: embedSotuArgs(0.8), checkStudents: 10 },
      ],
      check: (ctx) => (ctx.calls.length > 1 ? allOf(ctx.calls.map(({ args: [M, k], output, expected }) => checkWordEmbeddings(output, M.length, k, expected, spectrum(M)))) : checkEmbeddingCase(ctx)),
      mistakes: [
        {
          id: 'embedding-no-sqrt',
          hint: 'scale column j of U_k by sqrt(σ_j): your columns have length 1, which is U_k alone',
          matches: ({ output }) => unitColumns(output),
        },
        {
          id: 'embedding-sigma',
          hint: 'scale column j of U_k by sqrt(σ_j), not by σ_j: your columns’ squared lengths are the squared singular values',
          matches: ({ args: [M], output }) => {
            const S = spectrum(M);
            // Below σ₁ = 1.5, σ and sqrt(σ) scalings are too alike to tell apart.
            // Stryker disable next-line EqualityOperator: σ₁ of exactly 1.5, to the last bit, has probability zero; so has a length off by exactly 1e-6·σ₁
            return output.length > 0 && S[0] > 1.5 && columnLengths(output).every((length, j) => Math.abs(length - S[j]) <= 1e-6 * S[0]);
          },
        },
      ],
    }),
    problem({
      export: 'analogy',
      title: 'Analogies',
      points: 4,
      timeoutMs: 5_000,
      reference: reference.analogy,
      output: strings,
      cases: [
        { name: '12 words with a planted analogy and ties: topN 1 (the default), 4 and all', calls: analogyCalls(12, 5) },
        { name: 'random vocabularies', visibility: 'hidden', calls: analogyCalls(25, 8) },
      ],
      check: checkAnalogy,
      mistakes: [
        { id: 'analogy-keeps-queries', hint: 'leave a, b and c out of the answer: the nearest word to e(b) − e(a) + e(c) is often b or c itself', matches: sameAs(keepsQueries.analogy) },
        { id: 'analogy-reversed', hint: 'the target is e(b) − e(a) + e(c) ("a is to b as c is to ?"): yours points the other way, e(a) − e(b) + e(c)', matches: sameAs(reversed.analogy) },
      ],
    }),
    problem({
      export: 'sentenceFeatures',
      title: 'A sentence as one vector',
      points: 4,
      reference: reference.sentenceFeatures,
      output: vector,
      cases: [
        { name: 'sentences with stop words, unknown words and repeats; one with nothing left; an empty one', calls: featureCalls(4) },
        { name: 'random sentences', visibility: 'hidden', calls: featureCalls(7) },
      ],
      check: ({ calls }) => allOf(calls.map(({ output, expected }) => allClose(output, expected, TOLERANCE))),
      mistakes: [
        { id: 'features-sum', hint: 'average the embeddings: divide their sum by the number of tokens that were added up', matches: sameAs(featuresSum.sentenceFeatures) },
        { id: 'features-keeps-stop-words', hint: 'leave out stop words, even when they are in the vocabulary', matches: sameAs(keepsStopWords.sentenceFeatures) },
        { id: 'features-all-tokens', hint: 'divide by the number of tokens you averaged (in the vocabulary and not stop words), not by all the sentence’s tokens', matches: sameAs(allTokens.sentenceFeatures) },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
});

/** The length of each column of A. */
function columnLengths(A: Matrix): number[] {
  return (A[0] ?? []).map((_, j) => Math.sqrt(A.reduce((sum, row) => sum + row[j] * row[j], 0)));
}

/** Every column of A has length 1 (to 1e-6), as U_k's do. */
function unitColumns(A: Matrix): boolean {
  // Stryker disable next-line EqualityOperator: a length off by exactly 1e-6, to the last bit, has probability zero
  return A.length > 0 && columnLengths(A).every((length) => Math.abs(length - 1) <= 1e-6);
}

const short = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(3));
