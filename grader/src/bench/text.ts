import { Matrix as MlMatrix, SVD as MlSvd } from 'ml-matrix';
import { LSA_MIN_COUNT, sotu, sotuVocabulary, WORD_MIN_COUNT } from '../../../assignments/text-embeddings/data.ts';
import { cooccurrenceMatrix, ppmi, termDocumentMatrix } from '../../../solutions/text-embeddings/text.ts';
import { singularValues, svd } from '../linalg/svd.ts';
import { formatMs } from './stats.ts';

function time<T>(run: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = run();
  return { ms: performance.now() - started, result };
}

/**
 * The State of the Union pipeline of `text-embeddings`, as its cases build it: tokenizing the
 * 233 addresses, the 502-word co-occurrence and PPMI matrices, the 233×1006 term–document matrix,
 * and the SVDs a student's ml-matrix code runs on them beside the grader's own (the checks use
 * values-only SVDs). Each step once: these are seconds, and the ratios are what matters.
 */
export function runTextBench(out: NodeJS.WritableStream): void {
  out.write('\ntext-embeddings: the State of the Union pipeline (reference solution; each step once)\n');
  const prepared = time(() => sotu());
  const tokens = prepared.result.reduce((sum, s) => sum + s.tokens.length, 0);
  out.write(`  tokenize 233 addresses (${tokens} tokens without stop words): ${formatMs(prepared.ms)}\n`);
  const sentences = prepared.result.flatMap((s) => s.sentences);
  const vocabulary = sotuVocabulary(WORD_MIN_COUNT);
  const counts = time(() => cooccurrenceMatrix(sentences, vocabulary, 5));
  out.write(`  co-occurrence, ${vocabulary.length} words, window 5: ${formatMs(counts.ms)}\n`);
  const M = time(() => ppmi(counts.result));
  out.write(`  PPMI: ${formatMs(M.ms)}\n`);
  const ml = time(() => new MlSvd(new MlMatrix(M.result), { computeRightSingularVectors: false, autoTranspose: false }));
  const grader = time(() => svd(M.result));
  const values = time(() => singularValues(M.result));
  out.write(`  ${vocabulary.length}×${vocabulary.length} SVD: ml-matrix (U only) ${formatMs(ml.ms)}, grader ${formatMs(grader.ms)}, grader values only ${formatMs(values.ms)}; ml-matrix / grader ${(ml.ms / grader.ms).toFixed(1)}×\n`);
  const lsaVocabulary = sotuVocabulary(LSA_MIN_COUNT);
  const X = time(() => termDocumentMatrix(prepared.result.map((s) => s.tokens), lsaVocabulary));
  out.write(`  term–document matrix, 233×${lsaVocabulary.length}: ${formatMs(X.ms)}\n`);
  const mlLsa = time(() => new MlSvd(new MlMatrix(X.result), { autoTranspose: true }));
  const graderLsa = time(() => svd(X.result));
  out.write(`  233×${lsaVocabulary.length} SVD: ml-matrix ${formatMs(mlLsa.ms)}, grader ${formatMs(graderLsa.ms)}; ml-matrix / grader ${(mlLsa.ms / graderLsa.ms).toFixed(1)}×\n`);
}
