/**
 * The dashboard's pages: one row per route, in match order. The navigation bar lists the rows
 * that have a `nav` label. A page appears here only once the API it needs exists.
 */
import type { ReactNode } from 'react';
import { ActivityPage } from './pages/activity.tsx';
import { ExplorerPage } from './pages/explorer.tsx';
import { GroupDetailPage } from './pages/group-detail.tsx';
import { GroupsPage } from './pages/groups.tsx';
import { HomePage } from './pages/home.tsx';
import { PoliciesPage } from './pages/policies.tsx';
import { PolicyDetailPage } from './pages/policy-detail.tsx';
import { NewPolicyPage } from './pages/policy-new.tsx';
import { RoleDetailPage } from './pages/role-detail.tsx';
import { RolesPage } from './pages/roles.tsx';
import { UserDetailPage } from './pages/user-detail.tsx';
import { UsersPage } from './pages/users.tsx';

/** One page of the dashboard. */
export interface RouteDef {
  /** Path pattern, segments like `:userName` become parameters. */
  readonly path: string;
  /** Label in the navigation bar; absent for detail pages. */
  readonly nav?: string;
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
  { path: '/explorer', nav: 'Access explorer', render: () => <ExplorerPage /> },
  { path: '/activity', nav: 'Activity', render: () => <ActivityPage /> },
];
