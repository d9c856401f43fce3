import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/**
 * Compiles a submission's TypeScript into one ES module with esbuild.
 *
 * This runs in the grader process, which is safe because esbuild only parses and prints
 * code, never runs it. (It cannot run inside the sandboxed child: esbuild's API drives a
 * native binary through a child process, and the sandbox forbids child processes.) Since
 * the grader can read everything, resolution is confined: a submission may import its own
 * files inside its folder, `node:` built-ins, and the assignment's allowed packages,
 * which stay external and load from the grader's node_modules at run time. Anything else
 * — `../../solutions/…`, an absolute path, another package — is a compile error.
 */

/** `packages`: the allowed packages the submission imports (e.g. `@tensorflow/tfjs`), sorted. */
export type CompileResult = { ok: true; bundlePath: string; packages: string[] } | { ok: false; message: string };

export interface CompileOptions {
  /** The copied submission folder; nothing outside it may be imported. */
  sourceDir: string;
  /** The module students edit, relative to sourceDir. */
  entry: string;
  outFile: string;
  allowedPackages: readonly string[];
}

const builtins = new Set(builtinModules);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function confinePlugin(options: CompileOptions, imported: Set<string>): esbuild.Plugin {
  const allowed = new Set(options.allowedPackages);
  return {
    name: 'mlgrade-confine',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || (args.pluginData as { confined?: boolean } | undefined)?.confined) return undefined;
        const specifier = args.path;
        if (specifier.startsWith('node:') || builtins.has(specifier)) return { path: specifier, external: true };
        const importer = path.relative(options.sourceDir, args.importer) || args.importer;
        if (!specifier.startsWith('.') && !path.isAbsolute(specifier)) {
          const name = packageName(specifier);
          if (!allowed.has(name)) {
            const list = [...allowed].join(', ') || 'none';
            return { errors: [{ text: `${importer} imports "${specifier}", which submissions cannot use in this assignment (allowed packages: ${list})` }] };
          }
          try {
            const resolved = name.startsWith('@tensorflow/') ? tfjsModule(specifier) : { path: installedPath(specifier), external: true };
            imported.add(name);
            return resolved;
          } catch {
            return { errors: [{ text: `${importer} imports "${specifier}", which is allowed but not installed; run npm install` }] };
          }
        }
        const resolved = await build.resolve(specifier, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { confined: true } });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (!isInside(options.sourceDir, resolved.path)) {
          return { errors: [{ text: `${importer} imports "${specifier}", which is outside the submission folder; a submission may import only its own files` }] };
        }
        return resolved;
      });
    },
  };
}

function formatMessages(messages: esbuild.Message[]): string {
  return messages
    .slice(0, 5)
    .map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text))
    .join('\n');
}

export async function compileSubmission(options: CompileOptions): Promise<CompileResult> {
  const imported = new Set<string>();
  try {
    const result = await esbuild.build({
      absWorkingDir: options.sourceDir,
      entryPoints: [path.join(options.sourceDir, options.entry)],
      outfile: options.outFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
      banner: { js: REQUIRE_BANNER },
      plugins: [confinePlugin(options, imported), tfjsLoader],
    });
    if (result.errors.length > 0) return { ok: false, message: formatMessages(result.errors) };
    return { ok: true, bundlePath: options.outFile, packages: [...imported].sort() };
  } catch (error) {
    const failure = error as { errors?: esbuild.Message[]; message?: string };
    return { ok: false, message: failure.errors ? formatMessages(failure.errors) : String(failure.message ?? error) };
  }
}

/** Where a package is installed, as the absolute path the child will import it from. */
function installedPath(specifier: string): string {
  return fileURLToPath(import.meta.resolve(specifier));
}

/**
 * tfjs must be one instance in the child, shared by the runner and the student's code (one
 * engine, one backend, one kernel registry), so both load it from the same installed file —
 * with `require`, not `import`. The tfjs packages are CommonJS, and Node 20 imports CommonJS
 * into an ES module by first scanning its source, and every file it re-exports, for export
 * names: for @tensorflow/tfjs that cost ~0.55 s of CPU in every child process (measured: a
 * process that imports it 1.06 s of CPU, one that requires it 0.49 s), and the sandbox starts
 * a fresh child for every problem. So each @tensorflow/* import becomes a small CommonJS
 * module in the bundle, `module.exports = require(<installed file>)`; esbuild turns named and
 * namespace imports of it into property reads, and Node's module cache makes every such
 * require the same instance.
 */
const REQUIRE = '__mlgradeRequire';
const REQUIRE_BANNER = `import { createRequire as __mlgradeCreateRequire } from 'node:module';\nconst ${REQUIRE} = __mlgradeCreateRequire(import.meta.url);`;
const TFJS_NAMESPACE = 'mlgrade-tfjs';

/** Where a tfjs package is installed, resolved as `require` resolves it. */
function tfjsModule(specifier: string): esbuild.OnResolveResult {
  return { path: createRequire(import.meta.url).resolve(specifier), namespace: TFJS_NAMESPACE };
}

const tfjsLoader: esbuild.Plugin = {
  name: 'mlgrade-tfjs-require',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\// }, (args) => tfjsModule(args.path));
    build.onLoad({ filter: /.*/, namespace: TFJS_NAMESPACE }, (args) => ({ contents: `module.exports = ${REQUIRE}(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

export interface ChildSources {
  /** The runner every child starts with. */
  runner: string;
  /** Loaded by the runner only for assignments with tensors. */
  tensorRuntime: string;
}

let childCode: Promise<ChildSources> | undefined;

/** The child's scripts, bundled once per grader process. */
export function childSources(): Promise<ChildSources> {
  const entry = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
  childCode ??= esbuild
    .build({
      entryPoints: { runner: entry('./child.ts'), 'tensor-runtime': entry('../tensor/child-runtime.ts') },
      outdir: '/',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      banner: { js: REQUIRE_BANNER },
      plugins: [tfjsLoader],
    })
    .then((result) => {
      const text = (name: string): string => result.outputFiles.find((f) => path.basename(f.path) === `${name}.js`)!.text;
      return { runner: text('runner'), tensorRuntime: text('tensor-runtime') };
    });
  return childCode;
}
