// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
import { sha256 } from '../hash.js';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../engine/define-rule.js';
import { oneLine } from '../engine/words.js';
import { onDisk, onDiskRange } from './location.js';
import type { FileReport, Tool } from './types.js';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** A fingerprint that survives edits elsewhere in the file: the rule, the line's text, its repeat count. */
function lineHash(code: string, line: string, seen: Map<string, number>): string {
  const h = sha256(`${code}\0${line.trim()}`).slice(0, 16);
  const n = (seen.get(h) ?? 0) + 1;
  seen.set(h, n);
  return `${h}:${n}`;
}

function regionOf(at: ReturnType<typeof onDisk>): object {
  return at.column !== undefined
    ? { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn }
    : { startLine: at.line, endLine: at.endLine };
}

export function sarif(files: FileReport[], tool: Tool): string {
  const index = new Map(tool.rules.map((r, i) => [r.code, i]));
  const results: object[] = [];
  for (const f of files) {
    const uri = f.repoPath ?? f.path;
    const lines = f.text.split(/\r?\n/);
    const seen = new Map<string, number>();
    const location = { uri, uriBaseId: '%SRCROOT%' };
    for (const d of f.diagnostics) {
      const { start } = d.range;
      const region = regionOf(onDisk(f, d));
      const result: Record<string, unknown> = {
        ruleId: d.code,
        ruleIndex: index.get(d.code),
        level: LEVEL[d.severity],
        message: { text: oneLine(d) },
        locations: [{ physicalLocation: { artifactLocation: location, region } }],
        ...(d.related.length
          ? {
              relatedLocations: d.related.map((r, id) => ({
                id,
                message: { text: r.message },
                physicalLocation: { artifactLocation: location, region: regionOf(onDiskRange(f, r.range)) },
              })),
            }
          : {}),
        partialFingerprints: { primaryLocationLineHash: lineHash(d.code, lines[start.line - 1] ?? '', seen) },
      };
      // A notebook's fix edits its joined cells, not the file: none is offered to the file's consumers.
      if (d.fix && !f.notebook) {
        result.fixes = [
          {
            description: { text: `${d.fix.message} (${d.fix.safety})` },
            artifactChanges: [
              {
                artifactLocation: location,
                replacements: d.fix.edits.map((e) => {
                  const { from: a, to: b } = e;
                  return {
                    deletedRegion: { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column },
                    insertedContent: { text: e.text },
                  };
                }),
              },
            ],
          },
        ];
      }
      results.push(result);
    }
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mlflint',
            version: tool.version,
            informationUri: tool.homepage,
            rules: tool.rules.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.docs.what },
              help: { text: r.docs.why },
              helpUri: tool.ruleUrl(r.code),
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: [r.code.slice(0, 4)], fix: r.fix?.safety ?? 'none' },
            })),
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: pathToFileURL(tool.root.endsWith('/') ? tool.root : `${tool.root}/`).href },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
