/**
 * The dashboard's pages: one row per route, in match order. The navigation bar lists the rows
 * that have a `nav` label. A page appears here only once the API it needs exists.
 */
import { lazy } from 'react';
import type { ReactNode } from 'react';
import { HomePage } from './pages/home.tsx';

// Pages other than the overview load on first visit, so sign-in and the first screen download
// only what they use (Vite emits one chunk per page).
const AccountDataPage = lazy(() => import('./pages/account-data.tsx').then((m) => ({ default: m.AccountDataPage })));
const ActivityPage = lazy(() => import('./pages/activity.tsx').then((m) => ({ default: m.ActivityPage })));
const ExplorerPage = lazy(() => import('./pages/explorer.tsx').then((m) => ({ default: m.ExplorerPage })));
const GroupDetailPage = lazy(() => import('./pages/group-detail.tsx').then((m) => ({ default: m.GroupDetailPage })));
const GroupsPage = lazy(() => import('./pages/groups.tsx').then((m) => ({ default: m.GroupsPage })));
const OrganizationPage = lazy(() => import('./pages/organization.tsx').then((m) => ({ default: m.OrganizationPage })));
const PoliciesPage = lazy(() => import('./pages/policies.tsx').then((m) => ({ default: m.PoliciesPage })));
const PolicyDetailPage = lazy(() => import('./pages/policy-detail.tsx').then((m) => ({ default: m.PolicyDetailPage })));
const NewPolicyPage = lazy(() => import('./pages/policy-new.tsx').then((m) => ({ default: m.NewPolicyPage })));
const ResourceDetailPage = lazy(() => import('./pages/resource-detail.tsx').then((m) => ({ default: m.ResourceDetailPage })));
const ResourcesPage = lazy(() => import('./pages/resources.tsx').then((m) => ({ default: m.ResourcesPage })));
const RoleDetailPage = lazy(() => import('./pages/role-detail.tsx').then((m) => ({ default: m.RoleDetailPage })));
const RolesPage = lazy(() => import('./pages/roles.tsx').then((m) => ({ default: m.RolesPage })));
const UserDetailPage = lazy(() => import('./pages/user-detail.tsx').then((m) => ({ default: m.UserDetailPage })));
const SecurityCredentialsPage = lazy(() => import('./pages/security-credentials.tsx').then((m) => ({ default: m.SecurityCredentialsPage })));
const UnusedAccessPage = lazy(() => import('./pages/unused-access.tsx').then((m) => ({ default: m.UnusedAccessPage })));
const SwitchRolePage = lazy(() => import('./pages/switch-role.tsx').then((m) => ({ default: m.SwitchRolePage })));
const UsersPage = lazy(() => import('./pages/users.tsx').then((m) => ({ default: m.UsersPage })));

/** One page of the dashboard. */
export interface RouteDef {
  /** Path pattern, segments like `:userName` become parameters. */
  readonly path: string;
  /** Label in the navigation bar; absent for detail pages. */
  readonly nav?: string;
  /** The document title of a page without a `nav` label or parameters. */
  readonly title?: string;
  readonly render: (params: Record<string, string>) => ReactNode;
}

/** Every route, most specific first. */
export const routes: readonly RouteDef[] = [
  { path: '/', nav: 'Overview', render: () => <HomePage /> },
  { path: '/users', nav: 'Users', render: () => <UsersPage /> },
  { path: '/users/:userName', render: (p) => <UserDetailPage key={p.userName} userName={p.userName!} /> },
  { path: '/groups', nav: 'Groups', render: () => <GroupsPage /> },
  { path: '/groups/:groupName', render: (p) => <GroupDetailPage key={p.groupName} groupName={p.groupName!} /> },
  { path: '/roles', nav: 'Roles', render: () => <RolesPage /> },
  { path: '/roles/:roleName', render: (p) => <RoleDetailPage key={p.roleName} roleName={p.roleName!} /> },
  { path: '/policies', nav: 'Policies', render: () => <PoliciesPage canCreate /> },
  { path: '/policies/new', render: () => <NewPolicyPage /> },
  { path: '/policies/:policyArn', render: (p) => <PolicyDetailPage key={p.policyArn} policyArn={p.policyArn!} /> },
  { path: '/resources', nav: 'Resources', render: () => <ResourcesPage /> },
  { path: '/resources/:resourceArn', render: (p) => <ResourceDetailPage key={p.resourceArn} resourceArn={p.resourceArn!} /> },
  { path: '/explorer', nav: 'Access explorer', render: () => <ExplorerPage /> },
  { path: '/activity', nav: 'Activity', render: () => <ActivityPage /> },
  { path: '/security-credentials', render: () => <SecurityCredentialsPage /> },
  { path: '/switch-role', title: 'Switch role', render: () => <SwitchRolePage /> },
  { path: '/account-data', nav: 'Account data', render: () => <AccountDataPage /> },
  { path: '/unused-access', nav: 'Unused access', render: () => <UnusedAccessPage /> },
  { path: '/organization', nav: 'Organization', render: () => <OrganizationPage /> },
];
