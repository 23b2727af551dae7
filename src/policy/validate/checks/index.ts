/** The registry of validation checks, run in this order by `parsePolicy`. */
import type { PolicyCheck } from '../check.ts';
import { actionCheck } from './action.ts';
import { catalogCheck } from './catalog.ts';
import { conditionStructureCheck } from './condition-structure.ts';
import { conditionValuesCheck } from './condition-values.ts';
import { effectCheck } from './effect.ts';
import { principalCheck } from './principal.ts';
import { redundantStatementCheck } from './redundant-statement.ts';
import { resourceCheck } from './resource.ts';
import { sidCheck } from './sid.ts';
import { sizeCheck } from './size.ts';
import { statementElementsCheck } from './statement-elements.ts';
import { topLevelCheck } from './top-level.ts';
import { variablesCheck } from './variables.ts';

/** Every check, one per family of rules. */
export const POLICY_CHECKS: readonly PolicyCheck[] = [
  topLevelCheck,
  sizeCheck,
  statementElementsCheck,
  effectCheck,
  sidCheck,
  principalCheck,
  actionCheck,
  resourceCheck,
  conditionStructureCheck,
  conditionValuesCheck,
  variablesCheck,
  redundantStatementCheck,
  catalogCheck,
];
