// The layers' arrows (issue 17, DESIGN R9): cli, server → public API → engine → model; languages → model;
// rules → the rule API + model; reporters → results only. `npm run lint` checks them.
const not = (...dirs) => `^(${dirs.join('|')})`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles; a cycle of type-only imports is erased at build time and allowed.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'model-is-innermost',
      comment: 'The model imports nothing else of the project.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: not('src/(?!model/)', 'rules/') },
    },
    {
      name: 'languages-lower-into-the-model',
      severity: 'error',
      from: { path: '^src/languages/' },
      to: { path: not('src/(engine|cli|config|reporters|eslint-plugin|docs)/', 'src/index\\.ts', 'rules/') },
    },
    {
      name: 'engine-sees-the-model-only',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: not('src/(languages|cli|config|reporters|eslint-plugin|docs)/', 'src/index\\.ts', 'rules/') },
    },
    {
      name: 'rules-see-the-rule-api-and-the-model',
      severity: 'error',
      from: { path: '^rules/' },
      to: { path: '^src/', pathNot: ['^src/model/', '^src/engine/define-rule\\.ts$'] },
    },
    {
      name: 'reporters-see-results',
      comment: 'Reporters are pure functions of a result: its types, and how a finding reads.',
      severity: 'error',
      from: { path: '^src/reporters/' },
      to: {
        path: '^(src/|rules/)',
        pathNot: ['^src/reporters/', '^src/hash\\.ts$', '^src/engine/words\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'front-ends-use-the-public-api',
      comment:
        'The CLI, the language server, the ESLint plugin and configuration discovery reach the engine through src/index.ts.',
      severity: 'error',
      from: { path: '^src/(cli|server|eslint-plugin|config)/' },
      to: { path: not('src/(engine|languages|model)/', 'rules/') },
    },
    {
      name: 'config-is-not-a-front-end',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/(cli|server|eslint-plugin|reporters)/' },
    },
    {
      name: 'docs-see-the-rule-api',
      severity: 'error',
      from: { path: '^src/docs/' },
      to: { path: not('src/(languages|cli|config|reporters|eslint-plugin|model)/', 'src/index\\.ts', 'rules/') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
