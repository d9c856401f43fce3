import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuTimeMeasurable } from '../src/sandbox/process.ts';
import type { SandboxSession } from '../src/sandbox/session.ts';
import { openSession, tempDir } from './helpers.ts';

// A call is limited by the CPU time of its child process (read from /proc), so a grade does
// not depend on how busy the machine is; a wall-clock backstop of 4× stops code that waits.
// Where /proc is missing the wall clock is the only limit, and these tests do not apply.
describe.skipIf(!cpuTimeMeasurable())('the per-call limit is CPU time, with a wall-clock backstop', () => {
  let session: SandboxSession;

  beforeAll(async () => {
    session = await openSession(
      tempDir({
        'main.ts': `
          // Uses (about) the given CPU time, however long that takes on the wall clock.
          export function burn(cpuMs: number): number {
            const start = process.cpuUsage();
            let sum = 0;
            for (;;) {
              for (let i = 0; i < 100_000; i++) sum += i % 7;
              const used = process.cpuUsage(start);
              if ((used.user + used.system) / 1000 >= cpuMs) return sum > 0 ? 1 : 0;
            }
          }
          export const spin = (): number => { for (;;) { /* spin */ } };
          export function blocked(): number {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
            return 1;
          }
          export const waits = (): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(1), 1e9));
        `,
      }),
    );
    expect(session.loadFailure).toBeUndefined();
  });

  afterAll(() => session?.close());

  describe('while every core is busy with other processes', () => {
    const hogs: ChildProcess[] = [];

    beforeAll(() => {
      // Each ends by itself after a minute too, should this test process die before afterAll.
      const busy = 'const end = Date.now() + 60_000; while (Date.now() < end) {}';
      for (let i = 0; i < availableParallelism() * 2; i++) hogs.push(spawn(process.execPath, ['-e', busy], { stdio: 'ignore' }));
    });

    afterAll(() => {
      for (const hog of hogs) hog.kill('SIGKILL');
    });

    it('a correct CPU-bound call within its CPU budget passes', async () => {
      // 0.4 s of CPU against a 0.7 s budget: with twice as many busy processes as cores this
      // takes well over 0.7 s of wall-clock time, which a wall-clock limit used to fail. The
      // backstop is set high so that other work on a shared test machine cannot make this flaky.
      const { outcome } = await session.call('burn', [400], { cpuMs: 700, backstopMs: 30_000 });
      expect(outcome).toEqual({ kind: 'ok', value: 1 });
    });
  });

  it('a busy loop is stopped by its CPU limit, and the message says so', async () => {
    const { outcome } = await session.call('spin', [], { cpuMs: 500, backstopMs: 30_000 });
    expect(outcome).toEqual({ kind: 'timeout', message: 'stopped after 0.5 s of CPU time (limit 0.5 s of CPU; wall-clock backstop 30 s)' });
  });

  it('a call that sleeps or waits uses no CPU and is stopped by the wall-clock backstop, and the message says so', async () => {
    // The default backstop: 4 × 0.3 s.
    const waiting = /^stopped after 1\.2 s of wall-clock time without finishing \(wall-clock backstop 1\.2 s; it had used 0\.\d s of CPU time, limit 0\.3 s\) — is it waiting or sleeping\?$/;
    for (const name of ['blocked', 'waits']) {
      const { outcome } = await session.call(name, [], 300);
      expect(outcome.kind, name).toBe('timeout');
      expect((outcome as { message: string }).message, name).toMatch(waiting);
    }
    // The session starts a fresh child after each stop.
    expect((await session.call('burn', [1], 500)).outcome).toEqual({ kind: 'ok', value: 1 });
  });
});
