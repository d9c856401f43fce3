// Mistake: sums σᵢ instead of σᵢ².
export function eckartYoungError(S: number[], k: number): number {
  let error = 0;
  for (let i = k; i < S.length; i++) error += S[i];
  return error;
}
