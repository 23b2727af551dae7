/**
 * GET /.well-known/authzen-configuration (Authorization API 1.0, "Policy Decision Point
 * Metadata"): the PDP's identifier and the URL of each endpoint it serves. Both drafts' names
 * are given: `policy_decision_point` and the `search_*_endpoint`s (draft 04 and the certification
 * scenario), and `issuer` (draft 03); metadata a client does not understand it must ignore.
 */

/** The paths of the endpoints, relative to the PDP's base URL. */
export const AUTHZEN_PATHS = {
  evaluation: '/access/v1/evaluation',
  evaluations: '/access/v1/evaluations',
  searchSubject: '/access/v1/search/subject',
  searchResource: '/access/v1/search/resource',
  searchAction: '/access/v1/search/action',
  metadata: '/.well-known/authzen-configuration',
} as const;

/** The metadata document of a PDP served at `baseUrl` (scheme and authority, no path) that serves the paths in `served`. */
export function pdpMetadata(baseUrl: string, served: ReadonlySet<string>): Record<string, string> {
  const metadata: Record<string, string> = {
    policy_decision_point: baseUrl,
    issuer: baseUrl,
    access_evaluation_endpoint: `${baseUrl}${AUTHZEN_PATHS.evaluation}`,
    access_evaluations_endpoint: `${baseUrl}${AUTHZEN_PATHS.evaluations}`,
  };
  // Only the search endpoints this server answers are named: an absent one tells the PEP it is not served.
  const searches = [
    ['search_subject_endpoint', AUTHZEN_PATHS.searchSubject],
    ['search_resource_endpoint', AUTHZEN_PATHS.searchResource],
    ['search_action_endpoint', AUTHZEN_PATHS.searchAction],
  ] as const;
  for (const [name, path] of searches) if (served.has(path)) metadata[name] = `${baseUrl}${path}`;
  return metadata;
}
