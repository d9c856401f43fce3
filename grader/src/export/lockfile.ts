/**
 * The student copy's package-lock.json: the course's own lock file cut down to what the copy's
 * package.json depends on. Students then install exactly the versions (and integrity hashes)
 * the course tested, with `npm ci`, and nothing of the course's development tools.
 */

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

export class LockfileError extends Error {
  override name = 'LockfileError';
}

/**
 * Where Node (and npm) finds package `name` required from the package at `from` (a lock key
 * such as `node_modules/a/node_modules/b`, or '' for the root): its own node_modules, then each
 * enclosing one up to the root's.
 */
function resolve(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (key in packages) return key;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/**
 * The course's lock file (version 2 or 3) cut down to the closure of `dependencies`: every
 * package they need, with its optional dependencies (platform builds such as esbuild's) and
 * the peers it requires. A package the course needed only for development is left out; one the
 * copy reaches only through optional dependencies is marked optional, as npm would mark it.
 */
export function pruneLockfile(course: Lockfile, root: { name: string; version: string; dependencies: Record<string, string> }): Lockfile {
  if (course.lockfileVersion < 2 || !course.packages) throw new LockfileError(`package-lock.json has lockfileVersion ${course.lockfileVersion}; npm 7 or later writes version 2 or 3, which the export needs`);
  const { packages } = course;
  /** Lock key → whether it is reached through required (not only optional) edges. */
  const reached = new Map<string, boolean>();
  const queue: Array<{ key: string; required: boolean }> = [];
  const visit = (from: string, name: string, required: boolean, optionalEdge: boolean): void => {
    const key = resolve(packages, from, name);
    if (key === undefined) {
      // An optional dependency npm skipped on the course's machine (another platform's build) is not in the lock.
      if (optionalEdge) return;
      throw new LockfileError(`package-lock.json has no ${name}, which ${from || 'the course package'} depends on: run npm install in the course repository`);
    }
    const before = reached.get(key);
    if (before === true || (before === false && !required)) return;
    reached.set(key, required);
    queue.push({ key, required });
  };
  for (const name of Object.keys(root.dependencies)) visit('', name, true, false);
  while (queue.length > 0) {
    const { key, required } = queue.shift()!;
    const entry = packages[key];
    for (const name of Object.keys(entry.dependencies ?? {})) visit(key, name, required, false);
    for (const name of Object.keys(entry.optionalDependencies ?? {})) visit(key, name, false, true);
    for (const name of Object.keys(entry.peerDependencies ?? {})) {
      const optionalPeer = entry.peerDependenciesMeta?.[name]?.optional === true;
      visit(key, name, required && !optionalPeer, optionalPeer);
    }
  }
  const pruned: Record<string, LockEntry> = {
    '': { name: root.name, version: root.version, dependencies: root.dependencies },
  };
  for (const key of [...reached.keys()].sort()) {
    const { dev: _dev, optional: _optional, devOptional: _devOptional, ...entry } = packages[key];
    pruned[key] = reached.get(key) ? entry : { ...entry, optional: true };
  }
  return { name: root.name, version: root.version, lockfileVersion: course.lockfileVersion, requires: true, packages: pruned };
}
