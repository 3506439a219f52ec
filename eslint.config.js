// SPDX-License-Identifier: Apache-2.0
// ESLint flat config: type-aware rules after STYLE.md §20, plus a local SPDX header rule.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every source file opens with an SPDX licence line (STYLE.md §4). */
const spdxHeader = {
  meta: {
    type: 'problem',
    messages: { missing: 'File must start with an SPDX-License-Identifier comment.' },
  },
  create(context) {
    return {
      Program(node) {
        const first = context.sourceCode.getAllComments().find((c) => c.type !== 'Shebang');
        if (
          !first ||
          first.loc.start.line > 2 ||
          !first.value.includes('SPDX-License-Identifier')
        ) {
          context.report({ node, loc: { line: 1, column: 0 }, messageId: 'missing' });
        }
      },
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bench/results/**',
      'web/dist/**',
      'bench/peers/**',
      'reports/**',
      '.stryker-tmp/**',
      // Public test vectors copied unchanged from upstream (test/vectors/testdata/README.md).
      'test/vectors/testdata/**',
      // dependency-cruiser's configuration (CommonJS, read by its own loader).
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { local: { rules: { 'spdx-header': spdxHeader } } },
    rules: {
      'local/spdx-header': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  { files: ['*.js', 'scripts/*.js'], ...tseslint.configs.disableTypeChecked },
);
