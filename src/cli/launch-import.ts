/** Where the launcher (launch.ts) puts its `import()` for the CLI bundle it runs (index.ts). */
export const IMPORT = Symbol.for('mlflint.import');
