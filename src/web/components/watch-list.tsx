/**
 * The watch list: saved questions with their current answers, kept current live by the
 * `decisionChanged` subscription; a row whose decision flips flashes, names the change that
 * flipped it, and is announced to screen readers.
 */
import { useRef, useState } from 'react';
import { isDecision } from '../api/decisions.ts';
import type { Answer, Question } from '../api/decisions.ts';
import type { ApiError } from '../api/graphql.ts';
import { useLiveStatus } from '../api/live.ts';
import { questionKey, unwatch, useWatchList } from '../api/watch-list.ts';
import { useLiveDecisions } from '../api/live-decisions.ts';
import type { FlippingChange } from '../api/live-decisions.ts';
import { DecisionBadge } from './decision-view.tsx';
import { changeKindLabel } from './labels.ts';
import { LiveIndicator } from './live-indicator.tsx';
import { Empty, ErrorNotice } from './notice.tsx';

/** The current answer to a watched question and when it last flipped. */
interface Row {
  readonly answer: Answer | undefined;
  readonly flippedAt: number | undefined;
  /** The change behind the last flip. */
  readonly change: FlippingChange | null;
}

/** The watch list panel. */
export function WatchList(props: { onLiveAnswer?: (question: Question, answer: Answer) => void } = {}) {
  const questions = useWatchList();
  const [rows, setRows] = useState<Record<string, Row>>({});
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');
  const status = useLiveStatus();
  const latest = useRef(rows);
  latest.current = rows;

  /** Records a new answer, flashing the row when allowed/denied flipped. */
  const record = (question: Question, answer: Answer, change: FlippingChange | null): void => {
    const key = questionKey(question);
    const before = latest.current[key]?.answer;
    const flipped = before !== undefined && isDecision(before) && isDecision(answer) && before.allowed !== answer.allowed;
    if (flipped) setAnnouncement(`${question.action} on ${question.resourceArn} is now ${answer.allowed ? 'allowed' : 'denied'}`);
    // The page's own view of the same question (the explorer's card) follows the live answer.
    props.onLiveAnswer?.(question, answer);
    setRows((previous) => ({
      ...previous,
      [key]: {
        answer,
        flippedAt: flipped ? Date.now() : previous[key]?.flippedAt,
        change: change ?? previous[key]?.change ?? null,
      },
    }));
  };

  useLiveDecisions(questions, record, setError);

  return (
    <section className="panel" aria-labelledby="watch-list-title">
      <div className="row">
        <h2 id="watch-list-title" style={{ margin: 0 }}>
          Watch list
        </h2>
        <span className="spacer" />
        {questions.length > 0 ? <LiveIndicator status={status} /> : null}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite" style={{ position: 'absolute', left: -9999 }}>
        {announcement}
      </p>
      <ErrorNotice error={error} />
      {questions.length === 0 ? (
        <Empty>Nothing watched yet. Ask a question above and choose “Watch” to follow its answer live.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Watched questions">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col" className="hide-narrow">
                  Principal
                </th>
                <th scope="col">Decision</th>
                <th scope="col">
                  <span style={{ position: 'absolute', left: -9999 }}>Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {questions.map((q) => {
                const key = questionKey(q);
                const row = rows[key];
                const answer = row?.answer;
                return (
                  <tr key={`${key}-${row?.flippedAt ?? 0}`} className={row?.flippedAt === undefined ? undefined : 'flipped'} data-watch-row={q.action}>
                    <td className="mono">{q.action}</td>
                    <td className="mono wrap">{q.resourceArn}</td>
                    <td className="mono wrap hide-narrow">{q.principalArn ?? 'you'}</td>
                    <td>
                      {answer === undefined ? (
                        <span className="muted">…</span>
                      ) : isDecision(answer) ? (
                        <>
                          <DecisionBadge decision={answer.decision} />
                          {row?.change == null ? null : (
                            <div className="muted" style={{ fontSize: 12 }}>
                              after {changeKindLabel(row.change.kind)} (revision {row.change.revision})
                            </div>
                          )}
                        </>
                      ) : (
                        <>
                          <span className="badge denied" title={answer.message}>
                            {answer.code}
                          </span>
                          {'action' in answer && typeof answer.action === 'string' ? (
                            // A refused watch is not retried: say what would let it through.
                            <div className="muted" style={{ fontSize: 12 }}>
                              Missing permission: <code data-missing-permission>{answer.action}</code>
                            </div>
                          ) : null}
                        </>
                      )}
                    </td>
                    <td>
                      <button type="button" onClick={() => unwatch(q)} aria-label={`Remove ${q.action} on ${q.resourceArn} from the watch list`}>
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
