/**
 * Tabs after the ARIA tabs pattern: one tab stop for the tab list (arrows, Home and End move and
 * select), each tab controlling its panel. The selected tab is kept in the URL (`?tab=`), so a
 * tab can be linked to and survives a reload; the first tab is the default and has no parameter.
 */
import { useId, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { navigate, useLocation } from '../router.ts';

/** One tab: its URL value, its label, and its panel (rendered only while selected). */
export interface TabDef {
  readonly id: string;
  readonly label: string;
  readonly render: () => ReactNode;
}

/** The tab list and the selected panel. */
export function Tabs(props: { label: string; tabs: readonly TabDef[] }) {
  const { pathname, search } = useLocation();
  const base = useId();
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const requested = search.get('tab');
  const selected = Math.max(0, props.tabs.findIndex((tab) => tab.id === requested));

  const select = (index: number, focus: boolean): void => {
    const tab = props.tabs[index];
    if (tab === undefined) return;
    const params = new URLSearchParams(search);
    if (index === 0) params.delete('tab');
    else params.set('tab', tab.id);
    const query = params.toString();
    navigate(`${pathname}${query === '' ? '' : `?${query}`}`, { replace: true, keepScroll: true });
    if (focus) buttons.current[index]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const last = props.tabs.length - 1;
    const target = { ArrowRight: selected + 1, ArrowLeft: selected - 1, Home: 0, End: last }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    select(target > last ? 0 : target < 0 ? last : target, true);
  };

  const current = props.tabs[selected];
  return (
    <>
      <div role="tablist" aria-label={props.label} className="tabs" onKeyDown={onKeyDown}>
        {props.tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${tab.id}`}
            aria-selected={index === selected}
            aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={index === selected ? 0 : -1}
            onClick={() => select(index, false)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {current === undefined ? null : (
        <div role="tabpanel" id={`${base}-panel-${current.id}`} aria-labelledby={`${base}-tab-${current.id}`}>
          {current.render()}
        </div>
      )}
    </>
  );
}
