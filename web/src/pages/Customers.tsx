import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, type Customer, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Badge, Button, Card, Empty, ErrorAlert, Mono, PageHeader, Spinner, initials, useLoad } from '../ui.tsx';

const PAGE = 50;

export function CustomersPage() {
  const { t, formatDateTime } = useI18n();
  const navigate = useNavigate();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [extra, setExtra] = useState<{ customers: Customer[]; nextCursor: string | null }>();
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const first = useLoad(() => {
    setExtra(undefined);
    return api.get<{ customers: Customer[]; nextCursor: string | null }>('/staff/customers', { q, limit: PAGE });
  }, [q]);

  const customers = [...(first.data?.customers ?? []), ...(extra?.customers ?? [])];
  const cursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const next = await api.get<{ customers: Customer[]; nextCursor: string | null }>('/staff/customers', { q, limit: PAGE, before: cursor });
      setExtra({ customers: [...(extra?.customers ?? []), ...next.customers], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  function search(e: FormEvent) {
    e.preventDefault();
    setQ(draft.trim());
  }

  return (
    <>
      <PageHeader title={t('customers.title')} subtitle={t('customers.subtitle')} />
      <Card>
        <form className="toolbar" onSubmit={search} role="search">
          <input type="search" aria-label={t('common.search')} placeholder={t('customers.searchPlaceholder')} value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={100} />
          <Button type="submit" variant="secondary">
            {t('common.search')}
          </Button>
          {q && (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft('');
                setQ('');
              }}
            >
              {t('common.reset')}
            </Button>
          )}
        </form>
        <ErrorAlert error={first.error} />
        {first.loading && !first.data ? (
          <Spinner />
        ) : customers.length === 0 ? (
          !first.error && <Empty>{t('customers.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table table-click" data-testid="customers-table">
              <thead>
                <tr>
                  <th>{t('common.name')}</th>
                  <th>{t('dash.kind')}</th>
                  <th>{t('common.phone')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('common.createdAt')}</th>
                </tr>
              </thead>
              <tbody>
                {customers.map((c) => (
                  <tr key={c.id} onClick={() => navigate(`/customers/${encodeURIComponent(c.id)}`)}>
                    <td data-label={t('common.name')}>
                      <div className="cell">
                        <Link to={`/customers/${encodeURIComponent(c.id)}`} className="strong" onClick={(e) => e.stopPropagation()}>
                          {c.name}
                        </Link>
                        <div className="muted small mono">{c.id}</div>
                      </div>
                    </td>
                    <td data-label={t('dash.kind')}>{t(c.kind === 'company' ? 'kind.company' : 'kind.person')}</td>
                    <td data-label={t('common.phone')}>{c.phone ?? t('common.none')}</td>
                    <td data-label={t('common.status')}>
                      <Badge tone={c.status === 'active' ? 'green' : 'red'}>{t(`status.${c.status}`)}</Badge>
                    </td>
                    <td data-label={t('common.createdAt')}>{formatDateTime(c.createdAt)}</td>
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

export function CustomerDetailPage() {
  const { t, formatDateTime } = useI18n();
  const { id = '' } = useParams();
  const loaded = useLoad(() => api.get<{ customer: Customer; users: User[] }>(`/customers/${encodeURIComponent(id)}`), [id]);
  const c = loaded.data?.customer;
  return (
    <>
      <div className="breadcrumb">
        <Link to="/customers">← {t('customers.title')}</Link>
      </div>
      <PageHeader title={c?.name ?? t('customers.title')} />
      <ErrorAlert error={loaded.error} />
      {loaded.loading && !c && <Spinner />}
      {c && loaded.data && (
        <div className="grid-2">
          <Card title={t('dash.account')}>
            <dl className="facts">
              <dt>{t('dash.accountId')}</dt>
              <dd>
                <Mono>{c.id}</Mono>
              </dd>
              <dt>{t('dash.kind')}</dt>
              <dd>{t(c.kind === 'company' ? 'kind.company' : 'kind.person')}</dd>
              <dt>{t('common.phone')}</dt>
              <dd>{c.phone ?? t('common.none')}</dd>
              <dt>{t('common.status')}</dt>
              <dd>
                <Badge tone={c.status === 'active' ? 'green' : 'red'}>{t(`status.${c.status}`)}</Badge>
              </dd>
              <dt>{t('common.createdAt')}</dt>
              <dd>{formatDateTime(c.createdAt)}</dd>
            </dl>
          </Card>
          <Card title={t('customers.users')}>
            {loaded.data.users.length === 0 ? (
              <Empty>{t('common.empty')}</Empty>
            ) : (
              <ul className="member-list">
                {loaded.data.users.map((u) => (
                  <li key={u.id}>
                    <span className="avatar avatar-sm" aria-hidden="true">
                      {initials(u.name)}
                    </span>
                    <span className="member-text">
                      <span>{u.name}</span>
                      <span className="muted small">{u.email}</span>
                    </span>
                    <Badge tone={u.status === 'active' ? 'green' : 'red'}>{t(`status.${u.status}`)}</Badge>
                    {u.twoFactorEnabled && <Badge tone="blue">2FA</Badge>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
