import { checkLoaded, type CheckJob, type CheckMessage } from './check.ts';

/**
 * A process of `mlgrade check --jobs N`: checks the one assignment it is sent and reports each
 * row as it is decided, then its time. It runs only the staff's own code (references,
 * starters, mistakes), each submission in its sandbox as always.
 */
process.once('message', (job: CheckJob) => {
  const send = (message: CheckMessage): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()));
  void (async () => {
    const pending: Array<Promise<void>> = [];
    try {
      const { seconds } = await checkLoaded(job.id, (row) => pending.push(send({ row })), job.options);
      await Promise.all(pending);
      await send({ seconds });
    } catch (error) {
      await Promise.all(pending);
      await send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    process.disconnect();
  })();
});
