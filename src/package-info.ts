// mlflint's own package.json, found from wherever this file runs (src/ under tsx, dist/src/ built).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function find(): { name: string; version: string } {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    const p = join(d, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name: string; version: string };
      if (pkg.name === 'mlflint') return pkg;
    }
    if (dirname(d) === d) return { name: 'mlflint', version: '0.0.0' };
  }
}

export const packageInfo = find();
