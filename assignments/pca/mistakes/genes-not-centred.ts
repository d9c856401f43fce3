// Mistake: the map is read off the SVD of the raw (uncentred) genotype matrix.
import { Matrix as MlMatrix, SVD } from 'ml-matrix';

export function genesMirrorGeography(genotypes: number[][]): number[][] {
  const decomposition = new SVD(new MlMatrix(genotypes), { autoTranspose: true });
  const U = decomposition.leftSingularVectors;
  const S = decomposition.diagonal;
  return genotypes.map((_, i) => [U.get(i, 0) * S[0], U.get(i, 1) * S[1]]);
}
