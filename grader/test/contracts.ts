/**
 * Starter ⇔ solution contracts, checked by `tsc --noEmit` (part of `npm test`): each
 * function compiles only if the reference solution's module is assignable to the type of
 * the starter module students edit. A renamed export, a changed parameter or return type
 * in either file is a compile error here. `contracts.test.ts` checks every assignment is
 * listed and that a drifted pair really fails to compile.
 */
type Starter<T> = T;

export const cnnLayers = (
  solution: typeof import('../../solutions/cnn-layers/layers.ts'),
): Starter<typeof import('../../starter/cnn-layers/layers.ts')> => solution;

export const pca = (
  solution: typeof import('../../solutions/pca/pca.ts'),
): Starter<typeof import('../../starter/pca/pca.ts')> => solution;
export const adversarial = (solution: typeof import('../../solutions/adversarial/attack.ts')): Starter<typeof import('../../starter/adversarial/attack.ts')> => solution;
export const autoencoders = (solution: typeof import('../../solutions/autoencoders/autoencoder.ts')): Starter<typeof import('../../starter/autoencoders/autoencoder.ts')> => solution;
export const nodeEmbeddings = (solution: typeof import('../../solutions/node-embeddings/graph.ts')): Starter<typeof import('../../starter/node-embeddings/graph.ts')> => solution;
export const textEmbeddings = (solution: typeof import('../../solutions/text-embeddings/text.ts')): Starter<typeof import('../../starter/text-embeddings/text.ts')> => solution;
export const transfer = (solution: typeof import('../../solutions/transfer/transfer.ts')): Starter<typeof import('../../starter/transfer/transfer.ts')> => solution;
export const understandingLayers = (solution: typeof import('../../solutions/understanding-layers/understand.ts')): Starter<typeof import('../../starter/understanding-layers/understand.ts')> => solution;
export const augmentation = (solution: typeof import('../../solutions/augmentation/augment.ts')): Starter<typeof import('../../starter/augmentation/augment.ts')> => solution;
export const generalization = (solution: typeof import('../../solutions/generalization/generalize.ts')): Starter<typeof import('../../starter/generalization/generalize.ts')> => solution;
