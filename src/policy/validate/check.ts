/** The interface every validation check implements; checks are registered in `checks/index.ts`. */
import type { ValidationContext } from './context.ts';

/** One family of validation rules. A check only reads the context and reports findings. */
export interface PolicyCheck {
  /** Short name, used in test titles and error reports. */
  readonly name: string;
  run(ctx: ValidationContext): void;
}
