/**
 * Thrown in a student copy (see replay.ts) by a replayed reference or mistake function for
 * arguments it has no recorded answer for. Its own module, so that the engine can recognise it
 * without loading the replay machinery.
 */
export class NotRecordedError extends Error {
  override name = 'NotRecordedError';
}

/** True for NotRecordedError, also when it comes from another copy of this module. */
export function isNotRecorded(error: unknown): boolean {
  return error instanceof Error && error.name === 'NotRecordedError';
}
