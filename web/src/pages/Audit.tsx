import { useState, type FormEvent } from 'react';
import { api, type AuditEntry } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Badge, Button, Card, Empty, ErrorAlert, Field, PageHeader, Spinner, useLoad } from '../ui.tsx';

const PAGE = 50;
type AuditPage = { entries: AuditEntry[]; nextCursor: string | null };
type Filters = { objectType: string; objectId: string; actorId: string };
const NO_FILTERS: Filters = { objectType: '', objectId: '', actorId: '' };

function actionTone(action: string): 'neutral' | 'green' | 'amber' | 'red' | 'blue' {
  if (/failed|locked|disabled|revoked/.test(action)) return 'red';
  if (/login|logout|mfa/.test(action)) return 'blue';
  if (/created|activated/.test(action)) return 'green';
  if (/updated|changed|retried/.test(action)) return 'amber';
  return 'neutral';
}

export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();

  const first = useLoad(async () => {
    const page = await api.get<AuditPage>('/staff/audit', { ...filters, limit: PAGE });
    setRows(page.entries);
    setCursor(page.nextCursor);
    return page;
  }, [filters]);

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const page = await api.get<AuditPage>('/staff/audit', { ...filters, limit: PAGE, before: cursor });
      setRows((r) => [...r, ...page.entries]);
      setCursor(page.nextCursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  function apply(next: Filters) {
    const trimmed = { objectType: next.objectType.trim(), objectId: next.objectId.trim(), actorId: next.actorId.trim() };
    setDraft(trimmed);
    setFilters(trimmed);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    apply(draft);
  }

  const filtered = filters.objectType || filters.objectId || filters.actorId;

  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} actions={<Button variant="secondary" onClick={first.reload}>{t('common.refresh')}</Button>} />
      <Card>
        <form className="filters" onSubmit={submit}>
          <Field label={t('audit.objectType')}>{(id) => <input id={id} placeholder="user, session, customer…" value={draft.objectType} onChange={(e) => setDraft({ ...draft, objectType: e.target.value })} />}</Field>
          <Field label={t('audit.objectId')}>{(id) => <input id={id} value={draft.objectId} onChange={(e) => setDraft({ ...draft, objectId: e.target.value })} />}</Field>
          <Field label={t('audit.actorId')}>{(id) => <input id={id} value={draft.actorId} onChange={(e) => setDraft({ ...draft, actorId: e.target.value })} />}</Field>
          <div className="filters-actions">
            <Button type="submit" variant="secondary">
              {t('common.filter')}
            </Button>
            {filtered && (
              <Button variant="ghost" onClick={() => apply(NO_FILTERS)}>
                {t('common.reset')}
              </Button>
            )}
          </div>
        </form>
        <ErrorAlert error={first.error} />
        {first.loading && rows.length === 0 ? (
          <Spinner />
        ) : rows.length === 0 ? (
          !first.error && <Empty>{t('audit.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th>{t('audit.time')}</th>
                  <th>{t('audit.action')}</th>
                  <th>{t('audit.object')}</th>
                  <th>{t('audit.actor')}</th>
                  <th>{t('audit.data')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.id}>
                    <td data-label={t('audit.time')} className="nowrap">
                      {formatDateTime(e.at)}
                    </td>
                    <td data-label={t('audit.action')}>
                      <Badge tone={actionTone(e.action)}>{e.action}</Badge>
                    </td>
                    <td data-label={t('audit.object')}>
                      <div className="cell">
                        <span className="muted small">{e.objectType}</span>
                        {e.objectId && (
                          <div>
                            <button type="button" className="linkish mono small" title={t('common.filter')} onClick={() => apply({ ...NO_FILTERS, objectType: e.objectType, objectId: e.objectId ?? '' })}>
                              {e.objectId}
                            </button>
                          </div>
                        )}
                      </div>
                    </td>
                    <td data-label={t('audit.actor')}>
                      <div className="cell">
                        <span className="muted small">{e.actorType}</span>
                        {e.actorId && (
                          <div>
                            <button type="button" className="linkish mono small" title={t('common.filter')} onClick={() => apply({ ...NO_FILTERS, actorId: e.actorId ?? '' })}>
                              {e.actorId}
                            </button>
                          </div>
                        )}
                        {e.ip && <div className="muted small">{e.ip}</div>}
                      </div>
                    </td>
                    <td data-label={t('audit.data')}>
                      <details className="json">
                        <summary>{t('common.details')}</summary>
                        <pre>{JSON.stringify({ data: e.data, requestId: e.requestId, id: e.id }, null, 2)}</pre>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ErrorAlert error={moreError} />
        {cursor && (
          <div className="load-more">
            <Button variant="secondary" busy={moreBusy} onClick={() => void loadMore()}>
              {t('common.loadMore')}
            </Button>
          </div>
        )}
      </Card>
    </>
  );
}
