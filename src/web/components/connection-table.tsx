/**
 * A paginated table over a Relay connection field (`edges { cursor node }`, `pageInfo`). Pages go
 * forward with `after`; the cursors already visited make "Previous" possible without `before`.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { TypedDocumentString } from '../api/generated/graphql.ts';
import { errorAt } from '../api/graphql.ts';
import type { ResponsePath } from '../api/graphql.ts';
import { useQuery } from '../api/use-query.ts';
import { Empty, ErrorNotice, Loading } from './notice.tsx';

/** What this table reads of a Relay connection (any generated connection selection fits). */
export interface Connection<TNode> {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: TNode }>;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor?: string | null };
}

/**
 * A connection whose edges carry the row's data (an answer about a node, such as who-can's
 * decision per principal) as one whose nodes are the edges, so each edge is a row.
 */
export function edgesAsRows<TEdge extends { readonly cursor: string }>(
  connection: { readonly edges: readonly TEdge[]; readonly pageInfo: Connection<TEdge>['pageInfo'] } | null | undefined,
): Connection<TEdge> | null | undefined {
  if (connection == null) return connection;
  return { pageInfo: connection.pageInfo, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: edge })) };
}

/** The page a query asks for: `first` rows after the cursor `after`. */
export interface PageVariables {
  readonly first: number;
  readonly after: string | null;
}

/** One column: a header and how to render a cell. */
export interface Column<TNode> {
  readonly header: string;
  readonly cell: (node: TNode) => ReactNode;
  /** Hidden on phone-width screens. */
  readonly wide?: boolean;
}

/** Props of ConnectionTable. `query` takes `$first: Int` and `$after: String`. */
export interface ConnectionTableProps<TData, TVariables, TNode> {
  readonly query: TypedDocumentString<TData, TVariables>;
  /** The query's variables for one page (the filters, plus `first` and `after`). */
  readonly variables: (page: PageVariables) => TVariables;
  /** The connection in the data (null when its field was refused), and the path of that field. */
  readonly select: (data: TData) => Connection<TNode> | null | undefined;
  readonly path: ResponsePath;
  readonly columns: ReadonlyArray<Column<TNode>>;
  readonly rowKey: (node: TNode) => string;
  readonly caption: string;
  readonly empty: ReactNode;
  readonly pageSize?: number;
  /** Changes whenever the list should be loaded again (after a write). */
  readonly refreshKey?: number;
}

/** Renders a connection as a table with loading, empty and error states and pagination. */
export function ConnectionTable<TData, TVariables, TNode>(props: ConnectionTableProps<TData, TVariables, TNode>) {
  const pageSize = props.pageSize ?? 25;
  // Cursors of the pages before the current one; the last entry is the current page's `after`.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const filterKey = JSON.stringify(props.variables({ first: pageSize, after: null }));
  const [seenFilter, setSeenFilter] = useState(filterKey);
  if (seenFilter !== filterKey) {
    // New search terms start again at the first page.
    setSeenFilter(filterKey);
    setCursors([null]);
  }
  const after = cursors[cursors.length - 1] ?? null;
  const result = useQuery(props.query, props.variables({ first: pageSize, after }), { refreshKey: props.refreshKey ?? 0 });
  const connection = result.data === undefined ? undefined : (props.select(result.data) ?? undefined);
  const pageNumber = cursors.length;

  return (
    <div>
      <ErrorNotice error={result.error ?? errorAt(result.errors, ...props.path)} />
      {result.loading && connection === undefined ? <Loading what={props.caption.toLowerCase()} /> : null}
      {connection !== undefined && connection.edges.length === 0 ? <Empty>{props.empty}</Empty> : null}
      {connection !== undefined && connection.edges.length > 0 ? (
        <div className="table-wrap">
          <table aria-busy={result.loading}>
            <caption className="muted" style={{ textAlign: 'left', paddingBottom: 6 }}>
              {props.caption}, page {pageNumber}
            </caption>
            <thead>
              <tr>
                {props.columns.map((column) => (
                  <th key={column.header} scope="col" className={column.wide === true ? 'hide-narrow' : undefined}>
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {connection.edges.map(({ node }) => (
                <tr key={props.rowKey(node)}>
                  {props.columns.map((column) => (
                    <td key={column.header} className={column.wide === true ? 'hide-narrow' : undefined}>
                      {column.cell(node)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {connection !== undefined && (pageNumber > 1 || connection.pageInfo.hasNextPage) ? (
        <nav className="pager" aria-label={`${props.caption} pages`}>
          <button type="button" disabled={pageNumber === 1 || result.loading} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </button>
          <span className="muted">Page {pageNumber}</span>
          <button
            type="button"
            disabled={!connection.pageInfo.hasNextPage || result.loading}
            onClick={() => setCursors([...cursors, connection.pageInfo.endCursor ?? null])}
          >
            Next
          </button>
        </nav>
      ) : null}
    </div>
  );
}
