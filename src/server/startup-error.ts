/** A start-up failure the operator must fix; main prints its one-line message and exits 1. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
