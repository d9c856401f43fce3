import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendName } from '../tensor/backend.ts';
import { childSources, compileSubmission } from './compile.ts';
import { type CallLimits, type CallResult, SandboxProcess } from './process.ts';
import { createWorkspace, type Workspace } from './workspace.ts';

export interface SessionOptions {
  submissionDir: string;
  /** The module students edit, e.g. `layers.ts`. */
  module: string;
  allowedPackages: readonly string[];
  /** Folders of installed packages the child may read (the project's node_modules). */
  packageDirs: readonly string[];
  memoryMb: number;
  outputBytes: number;
  /** CPU time (ms) the child may use to load the submission, with the usual wall-clock backstop (see CallLimits). */
  loadTimeoutMs: number;
  /** Set for assignments with tensors: the child starts this backend before loading the submission. */
  tensorBackend?: BackendName;
  /**
   * For assignments without tensors: the backend the child starts if the submission
   * imports tfjs, so a student who trains with tfjs gets the fast backend instead of
   * tfjs's slow default. Submissions that do not import tfjs do not pay for loading it.
   */
  tensorBackendIfImported?: BackendName;
  /** Where the child imports tfjs-node from, when that is the backend. */
  tfjsNodeUrl?: string;
}

/** A child that has been spawned and is loading the submission. */
interface Launch {
  child: SandboxProcess;
  loaded: Promise<CallResult>;
}

/** Why a submission could not be loaded at all; every problem is then failed with this. */
export interface LoadFailure {
  stage: 'missing' | 'compile' | 'load';
  message: string;
}

/**
 * Runs one submission's functions in sandboxed children. One child is reused across calls;
 * after a crash, timeout or memory overrun the next call starts a fresh one, so one bad
 * case never costs another its points.
 */
function realPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

export class SandboxSession {
  exports: Record<string, string> = {};
  loadFailure: LoadFailure | undefined;
  /** Milliseconds spent starting children and loading the submission, for the bench. */
  startups: number[] = [];
  private child: SandboxProcess | undefined;
  /** Calls the current child has served; a child that has served none is as good as new. */
  private callsOnChild = 0;
  /** Set while the current child is still loading the submission; the next call awaits it. */
  private loading: Promise<CallResult> | undefined;
  /** A further fresh child, loading in the background for the recycle after next (see `recycle`). */
  private spare: Launch | undefined;
  /** The tensor backend the children start, if any (see SessionOptions). */
  tensorBackend: BackendName | undefined;
  private runnerPath = '';
  private tensorRuntimeUrl = '';
  private bundleUrl = '';

  private constructor(
    private readonly options: SessionOptions,
    private readonly workspace: Workspace,
  ) {}

  get warnings(): string[] {
    return this.workspace.warnings;
  }

  static async open(options: SessionOptions): Promise<SandboxSession> {
    if (!existsSync(path.join(options.submissionDir, options.module))) {
      const none = (): void => undefined;
      const session = new SandboxSession(options, { root: '', sourceDir: '', bundleDir: '', warnings: [], childDir: () => '', removeChildDir: none, remove: none });
      session.loadFailure = { stage: 'missing', message: `${options.module} was not found in ${options.submissionDir}` };
      return session;
    }
    const workspace = createWorkspace(options.submissionDir);
    const session = new SandboxSession(options, workspace);
    const sources = await childSources();
    session.runnerPath = path.join(workspace.bundleDir, 'runner.mjs');
    writeFileSync(session.runnerPath, sources.runner);
    const tensorRuntimePath = path.join(workspace.bundleDir, 'tensor-runtime.mjs');
    writeFileSync(tensorRuntimePath, sources.tensorRuntime);
    session.tensorRuntimeUrl = pathToFileURL(tensorRuntimePath).href;
    const bundlePath = path.join(workspace.bundleDir, 'submission.mjs');
    const compiled = await compileSubmission({
      sourceDir: workspace.sourceDir,
      entry: options.module,
      outFile: bundlePath,
      allowedPackages: options.allowedPackages,
    });
    if (!compiled.ok) {
      session.loadFailure = { stage: 'compile', message: `${options.module} does not compile:\n${compiled.message}` };
      return session;
    }
    session.bundleUrl = pathToFileURL(bundlePath).href;
    const importsTfjs = compiled.packages.some((name) => name.startsWith('@tensorflow/'));
    session.tensorBackend = options.tensorBackend ?? (importsTfjs ? options.tensorBackendIfImported : undefined);
    const first = await session.start();
    if (first.outcome.kind === 'ok') {
      session.exports = first.outcome.value as Record<string, string>;
    } else {
      const stage = first.outcome.kind === 'error' ? 'threw while loading' : 'failed while loading';
      session.loadFailure = { stage: 'load', message: `${options.module} ${stage}: ${first.outcome.message}` };
    }
    return session;
  }

  /** Spawns a child and starts loading the submission into it; the caller decides when to use it. */
  private launch(): Launch {
    const started = performance.now();
    // A native addon runs outside Node's permission model, so when tfjs-node needs addons
    // the child may not read its own copy: a .node file there must not be loadable.
    const addons = this.tensorBackend === 'node';
    // A copy of the submission of this child's own, gone when the child is (see Workspace).
    const workDir = this.workspace.childDir();
    const child = new SandboxProcess(
      {
        runner: this.runnerPath,
        workDir,
        // Node checks read permission on the real path a package resolves to, so a linked
        // node_modules (a student copy's while it is recorded, a pnpm store) is allowed by it.
        readable: [this.workspace.bundleDir, ...(addons ? [] : [workDir]), ...this.options.packageDirs.map(realPath)],
        allowAddons: addons,
      },
      { memoryMb: this.options.memoryMb, outputBytes: this.options.outputBytes },
    );
    void child.closed.then(() => this.workspace.removeChildDir(workDir));
    const loaded = (async (): Promise<CallResult> => {
      const ready = await child.ready();
      if (ready.kind !== 'ok') {
        const detail = child.stderrText().trim().split('\n').slice(0, 3).join(' ');
        const outcome = { kind: 'crash' as const, message: `the sandbox did not start (${ready.kind}${detail ? `: ${detail}` : ''})` };
        return { outcome, durationMs: performance.now() - started, stdout: '', stderr: '' };
      }
      const tensors = this.tensorBackend ? { backend: this.tensorBackend, runtimeUrl: this.tensorRuntimeUrl, tfjsNodeUrl: this.options.tfjsNodeUrl } : undefined;
      const result = await child.load({ type: 'load', url: this.bundleUrl, tensors }, this.options.loadTimeoutMs);
      this.startups.push(performance.now() - started);
      if (result.outcome.kind !== 'ok') child.kill();
      return result;
    })();
    return { child, loaded };
  }

  /** Makes a launched child the current one; resolves when it has loaded the submission. */
  private adopt(launch: Launch): Promise<CallResult> {
    this.child = launch.child;
    this.callsOnChild = 0;
    this.loading = launch.loaded;
    return launch.loaded;
  }

  private start(): Promise<CallResult> {
    return this.adopt(this.launch());
  }

  /**
   * Calls an exported function of the submission in the sandbox, limited by the CPU time of
   * its process (a number: CPU ms) with a wall-clock backstop (see CallLimits).
   */
  async call(name: string, args: unknown[], limits: number | CallLimits): Promise<CallResult> {
    if (this.loadFailure) throw new Error(`SandboxSession.call: the submission did not load (${this.loadFailure.message})`);
    // A spare that loaded long ago may have died since; then a new process is started.
    if (this.loading && (await this.loading).outcome.kind === 'ok' && this.child?.alive) this.loading = undefined;
    if (this.loading || !this.child?.alive) {
      this.stop();
      const restarted = await this.start();
      this.loading = undefined;
      if (restarted.outcome.kind !== 'ok') {
        this.child?.kill();
        return { ...restarted, outcome: { kind: 'crash', message: `the sandbox could not be restarted: ${'message' in restarted.outcome ? restarted.outcome.message : ''}` } };
      }
    }
    this.callsOnChild++;
    return this.child!.call(name, args, limits);
  }

  /**
   * Makes sure the next call gets a process with no memory of earlier calls. A spare process
   * is kept loading in the background, so a fresh process is usually ready at once: its
   * start-up (mostly importing packages such as ml-matrix or tfjs) overlaps with the work
   * before, instead of delaying the next call. `prepareNext: false` (the last recycle of a
   * run) launches no further spare.
   */
  recycle(options: { prepareNext?: boolean } = {}): void {
    if (this.callsOnChild === 0 && this.child?.alive) return;
    this.stop();
    const next = this.spare ?? this.launch();
    this.spare = undefined;
    // Awaited by the next call; a close() before then must not leave a rejection unhandled.
    this.adopt(next).catch(() => undefined);
    if (options.prepareNext ?? true) this.prepareSpare();
  }

  /** Starts loading a spare process now, for the first recycle (a no-op if one is loading). */
  prepareSpare(): void {
    if (this.loadFailure || this.spare) return;
    this.spare = this.launch();
    this.spare.loaded.catch(() => undefined);
  }

  private stop(): void {
    this.child?.kill();
    this.child = undefined;
    this.loading = undefined;
  }

  close(): void {
    this.stop();
    this.spare?.child.kill();
    this.spare = undefined;
    this.workspace.remove();
  }
}
