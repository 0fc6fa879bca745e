// Where the docs live: each rule's section of the README.
import { ruleAnchor } from './render-rule.js';

export const HOMEPAGE = 'https://github.com/mlflint/mlflint';

/** A section of the README, by its anchor. */
export function readmeUrl(anchor: string): string {
  return `${HOMEPAGE}/blob/main/README.md#${anchor}`;
}

export function ruleUrl(rule: { code: string; name: string }): string {
  return readmeUrl(ruleAnchor(rule));
}
