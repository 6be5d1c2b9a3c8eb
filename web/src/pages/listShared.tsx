/**
 * The list-and-panel shape the staff consoles and the importer's lists share: a list read
 * from the server (a spinner while it first loads, a word when it is empty), as a table
 * with a details button a row; and a detail panel that opens above the list, shows the
 * answer of a write at once and reads the detail again.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n.ts';
import { Button, Card, Spinner, useLoad, type Loaded } from '../ui.tsx';
import { useScrollIntoView } from './fundingShared.tsx';

type ListLoad = Pick<Loaded<unknown>, 'loading' | 'data'>;

/** A list read from the server: a spinner while it first loads, `empty` when it has no rows, else what `children` draws. */
export function Listed({ list, count, empty, children }: { list: ListLoad; count: number; empty: ReactNode; children: () => ReactNode }) {
  if (list.loading && !list.data) return <Spinner />;
  if (count === 0) return <>{empty}</>;
  return <>{children()}</>;
}

/** A list read from the server as a table: `head` is the header row's cells, `row` draws a row (a `<tr>` with its key). */
export function ListTable<R>({
  list,
  rows,
  empty,
  className = 'table',
  testId,
  head,
  row,
}: {
  list: ListLoad;
  rows: readonly R[];
  empty: ReactNode;
  className?: string;
  testId: string;
  head: ReactNode;
  row: (r: R) => ReactNode;
}) {
  return (
    <Listed list={list} count={rows.length} empty={empty}>
      {() => (
        <div className="table-wrap">
          <table className={className} data-testid={testId}>
            <thead>
              <tr>{head}</tr>
            </thead>
            <tbody>{rows.map(row)}</tbody>
          </table>
        </div>
      )}
    </Listed>
  );
}

/** The header of the column of row buttons: no visible title. */
export function ActionsHeader() {
  const { t } = useI18n();
  return (
    <th>
      <span className="sr-only">{t('common.actions')}</span>
    </th>
  );
}

/** A row's last cell: the button that opens the row in its panel. */
export function DetailsCell({ onOpen, testId }: { onOpen: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <td className="actions">
      <Button small variant="secondary" onClick={onOpen} data-testid={testId}>
        {t('common.details')}
      </Button>
    </td>
  );
}

/** One row of a list opened in a card above it, brought into view, with a close button. */
export function DetailPanel({
  title,
  subtitle,
  testId,
  closeTestId,
  className,
  onClose,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  testId: string;
  closeTestId?: string;
  className?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const ref = useScrollIntoView<HTMLDivElement>();
  return (
    <div ref={ref} className="scroll-anchor">
      <Card
        title={title}
        subtitle={subtitle}
        className={className}
        actions={
          <Button variant="ghost" small onClick={onClose} data-testid={closeTestId}>
            {t('common.close')}
          </Button>
        }
        testId={testId}
      >
        {children}
      </Card>
    </div>
  );
}

/**
 * A detail read from the server whose writes answer with the detail as it now is: `show`
 * puts a write's answer on screen at once, `reload` reads the detail again (`version`
 * counts the reads asked for). The answer is dropped once a new read arrives. Until then,
 * `prefer` decides: `'answer'` keeps the answer on screen (also when the new read fails),
 * `'read'` shows the answer only while the read is under way.
 */
export function useAnswered<T>(load: () => Promise<T>, deps: readonly unknown[], prefer: 'answer' | 'read' = 'answer') {
  const [version, setVersion] = useState(0);
  const [answer, setAnswer] = useState<T>();
  const loaded = useLoad(load, [...deps, version]);
  useEffect(() => setAnswer(undefined), [loaded.data]);
  const data = prefer === 'answer' ? (answer ?? loaded.data) : answer && (!loaded.data || loaded.loading) ? answer : (loaded.data ?? answer);
  return { loaded, data, version, show: setAnswer, reload: () => setVersion((v) => v + 1) };
}
