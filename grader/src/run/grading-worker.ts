import { type LoadedAssignment, loadAssignment } from '../assignment/load.ts';
import { gradeSubmission } from './grade.ts';
import type { PoolGrading, PoolReply } from './grading-pool.ts';

/**
 * A grading process of GradingPool: grades one submission per message and replies with its
 * Result. It runs only trusted code itself; submissions run in its sandbox as always.
 */
const loaded = new Map<string, Promise<LoadedAssignment>>();

// The pool disconnects when it closes; nothing else should keep this process alive then.
process.on('disconnect', () => process.exit(0));

process.on('message', (grading: PoolGrading) => {
  void (async (): Promise<PoolReply> => {
    try {
      const key = `${grading.root}\u0000${grading.assignment}`;
      if (!loaded.has(key)) loaded.set(key, loadAssignment(grading.assignment, grading.root));
      const assignment = await loaded.get(key)!;
      const { submissionDir, student, seed, secret, problems, shareProcesses, timeLimitMs, submittedAt } = grading;
      return { result: await gradeSubmission({ assignment, submissionDir, student, seed, secret, problems, shareProcesses, timeLimitMs, submittedAt }) };
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      return { error: { name, message } };
    }
  })().then((reply) => process.send!(reply));
});
