import { describe, expect, it } from 'vitest';
import { LockfileError, pruneLockfile } from '../src/export/lockfile.ts';

const entry = (version: string, extra: Record<string, unknown> = {}) => ({ version, resolved: `https://registry.npmjs.org/x/-/x-${version}.tgz`, integrity: `sha512-${version}`, ...extra });

/** A course lock: a runtime package with a nested copy of a dependency, an optional platform build, a peer, and dev tools. */
const COURSE = {
  name: 'course',
  version: '0.1.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'course', version: '0.1.0', dependencies: { app: '^1.0.0' }, devDependencies: { lint: '^2.0.0' } },
    'node_modules/app': entry('1.0.0', { dependencies: { util: '^2.0.0', shared: '^1.0.0' }, optionalDependencies: { 'native-linux': '1.0.0', 'native-mac': '1.0.0' }, peerDependencies: { peer: '*', maybe: '*' }, peerDependenciesMeta: { maybe: { optional: true } } }),
    'node_modules/app/node_modules/util': entry('2.0.0'),
    'node_modules/util': entry('1.0.0', { dev: true }),
    'node_modules/shared': entry('1.0.0', { devOptional: true }),
    'node_modules/native-linux': entry('1.0.0', { optional: true }),
    'node_modules/peer': entry('3.0.0'),
    'node_modules/maybe': entry('1.0.0', { dev: true }),
    'node_modules/lint': entry('2.0.0', { dev: true, dependencies: { util: '^1.0.0', shared: '^1.0.0' } }),
  },
};

const root = { name: 'copy', version: '1.0.0', dependencies: { app: '^1.0.0' } };

describe('pruneLockfile', () => {
  it('keeps the closure of the runtime dependencies as Node resolves them, and nothing of the development tools', () => {
    const lock = pruneLockfile(COURSE, root);
    expect(Object.keys(lock.packages)).toEqual(['', 'node_modules/app', 'node_modules/app/node_modules/util', 'node_modules/maybe', 'node_modules/native-linux', 'node_modules/peer', 'node_modules/shared']);
    expect(lock.packages['']).toEqual({ name: 'copy', version: '1.0.0', dependencies: { app: '^1.0.0' } });
    expect(lock).toMatchObject({ name: 'copy', version: '1.0.0', lockfileVersion: 3 });
    // Required in the copy: the course's dev and devOptional flags go.
    expect(lock.packages['node_modules/shared']).toEqual(entry('1.0.0'));
    expect(lock.packages['node_modules/app/node_modules/util']).toEqual(entry('2.0.0'));
    // Reached only through an optional dependency or an optional peer: optional.
    expect(lock.packages['node_modules/native-linux']).toEqual(entry('1.0.0', { optional: true }));
    expect(lock.packages['node_modules/maybe']).toEqual(entry('1.0.0', { optional: true }));
    expect(lock.packages['node_modules/peer']).toEqual(entry('3.0.0'));
  });

  it('refuses a lock that lacks a required package, or is older than npm 7', () => {
    const { 'node_modules/peer': _peer, ...packages } = COURSE.packages;
    expect(() => pruneLockfile({ ...COURSE, packages }, root)).toThrow(new LockfileError('package-lock.json has no peer, which node_modules/app depends on: run npm install in the course repository'));
    expect(() => pruneLockfile({ ...COURSE, lockfileVersion: 1 }, root)).toThrow(LockfileError);
  });
});
