/** Messages between the grader and the sandboxed child (structured-clone IPC, never stdout). */
import type { ArgumentChange } from './changes.ts';

export type ParentMessage =
  | { type: 'load'; url: string; tensors?: { backend: 'node' | 'wasm' | 'cpu'; runtimeUrl: string; tfjsNodeUrl?: string } }
  | { type: 'call'; id: string; name: string; args: unknown[]; marker: string };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'loaded'; exports: Record<string, string> }
  | { type: 'load-error'; message: string }
  /** `changedArgument`: where the call changed an argument it was given (plain data only), for a note. */
  | { type: 'result'; id: string; value: unknown; leakedTensors?: number; changedArgument?: ArgumentChange }
  /** `refused`: the call returned, but its value could not be sent back (the message says why). */
  | { type: 'error'; id: string; message: string; refused?: boolean };
