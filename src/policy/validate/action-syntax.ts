/**
 * Action syntax: `*`, or `service:Action` where both parts may use the `*` and `?` wildcards.
 * Portcullis accepts any service prefix and action name (applications bring their own), so
 * only the shape is checked, not whether the action exists.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */

const SERVICE = /^[A-Za-z0-9_.*?-]+$/;
const NAME = /^[A-Za-z0-9_.*?-]+$/;

/** Why `action` is malformed, or undefined when it is well formed. */
export function actionSyntaxError(action: string): string | undefined {
  if (action === '*') return undefined;
  const colon = action.indexOf(':');
  if (colon < 0) return 'use the form "service:Action"';
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (service === '') return 'the service prefix before ":" is empty';
  if (name === '') return 'the action name after ":" is empty';
  if (!SERVICE.test(service)) return `the service prefix ${JSON.stringify(service)} may only contain letters, digits, "-", "_", "." and the wildcards * and ?`;
  if (!NAME.test(name)) return `the action name ${JSON.stringify(name)} may only contain letters, digits, "-", "_", "." and the wildcards * and ?`;
  return undefined;
}
