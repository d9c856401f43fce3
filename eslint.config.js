// ESLint with typescript-eslint's type-aware rules. This is why the project pins
// TypeScript 5.9 rather than 7.x: typescript-eslint needs the compiler API, which the
// native TypeScript 7 compiler does not provide.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // .stryker-tmp/ and stryker-setup-*.js exist while `npm run mutation` runs; reports/mutation/ is its output.
  { ignores: ['node_modules/**', 'reports/out/**', 'reports/mutation/**', '.stryker-tmp/**', 'stryker-setup-*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bin/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['bin/*.js', '*.js', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The starter stubs deliberately ignore their parameters.
    files: ['starter/**/*.ts', 'grader/test/fixtures/**/starter/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
);
