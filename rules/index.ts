// The registry, sorted by code (a meta-test enforces the order).
import type { AnyRule } from '../src/engine/define-rule.js';
import syntaxError from './syntax-error.js';
import unusedNoqa from './unused-noqa.js';
import metricInTightLoop from './metric-in-tight-loop.js';
import unbatchedMetrics from './unbatched-metrics.js';
import paramInLoop from './param-in-loop.js';
import unbatchedParams from './unbatched-params.js';
import unbatchedTags from './unbatched-tags.js';
import paramOverwrite from './param-overwrite.js';
import artifactInLoop from './artifact-in-loop.js';

export const rules: readonly AnyRule[] = [
  syntaxError,
  unusedNoqa,
  metricInTightLoop,
  unbatchedMetrics,
  paramInLoop,
  unbatchedParams,
  unbatchedTags,
  paramOverwrite,
  artifactInLoop,
];
