import type { ReactNode } from 'react';
import { followLink, useLocation } from '../router.ts';

/** An in-app link: navigates without a reload and marks itself current when `exact`ly (or by prefix) active. */
export function Link(props: { to: string; children: ReactNode; nav?: 'exact' | 'prefix'; className?: string }) {
  const { pathname } = useLocation();
  const active =
    props.nav === 'exact' ? pathname === props.to : props.nav === 'prefix' ? pathname === props.to || pathname.startsWith(`${props.to}/`) : false;
  return (
    <a href={props.to} onClick={followLink} aria-current={active ? 'page' : undefined} className={props.className}>
      {props.children}
    </a>
  );
}
