import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'test/artifacts/**', '.clearance-data/**', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The browser code has its own project (DOM types, no Node types); the root
    // project leaves it out so Node code cannot use `window` by accident.
    files: ['services/web/src/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './services/web/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Text from SBOMs and requests is attacker-controlled: the UI builds DOM nodes and sets textContent only.
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'write', 'writeln', 'srcdoc'].map((property) => ({
          property,
          message: 'Build nodes with the h() helper and set text with textContent: data must never be parsed as HTML.',
        })),
      ],
    },
  },
  {
    // Asymmetric matchers (expect.any, expect.stringContaining) are typed any by vitest.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
