import { useState, type FormEvent } from 'react';
import { api, STAFF_ROLES, type Role, type StaffUser, type User } from '../api.ts';
import { useI18n, type Lang } from '../i18n.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, ConfirmButton, Empty, ErrorAlert, Field, PageHeader, Spinner, useLoad } from '../ui.tsx';

const PAGE = 50;
type UsersPage = { users: StaffUser[]; nextCursor: string | null };
type StaffRole = Exclude<Role, 'importer'>;

export function UsersPage() {
  const { t, formatDateTime } = useI18n();
  const me = useSignedIn().user;
  const [role, setRole] = useState<Role | ''>('');
  const [showCreate, setShowCreate] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [rows, setRows] = useState<StaffUser[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreBusy, setMoreBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [busyId, setBusyId] = useState<string>();

  const first = useLoad(async () => {
    const page = await api.get<UsersPage>('/staff/users', { role, limit: PAGE });
    setRows(page.users);
    setCursor(page.nextCursor);
    return page;
  }, [role]);

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    try {
      const page = await api.get<UsersPage>('/staff/users', { role, limit: PAGE, before: cursor });
      setRows((r) => [...r, ...page.users]);
      setCursor(page.nextCursor);
    } catch (err) {
      setActionError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  async function update(user: StaffUser, body: { status?: 'active' | 'disabled'; role?: StaffRole; unlock?: boolean }, message?: string) {
    setBusyId(user.id);
    setActionError(undefined);
    setNotice(undefined);
    try {
      const res = await api.patch<{ user: User }>(`/staff/users/${encodeURIComponent(user.id)}`, body);
      setRows((list) => list.map((u) => (u.id === user.id ? { ...u, ...res.user, lockedUntil: body.unlock ? null : u.lockedUntil } : u)));
      if (message) setNotice(message);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusyId(undefined);
    }
  }

  const now = Date.now();

  return (
    <>
      <PageHeader
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        actions={
          !showCreate && (
            <Button onClick={() => setShowCreate(true)} data-testid="open-create-user">
              + {t('users.create')}
            </Button>
          )
        }
      />
      {showCreate && (
        <CreateStaffUser
          onCancel={() => setShowCreate(false)}
          onCreated={(u) => {
            setShowCreate(false);
            setNotice(t('users.created', { email: u.email }));
            first.reload();
          }}
        />
      )}
      {notice && <Alert kind="success">{notice}</Alert>}
      <ErrorAlert error={actionError} />
      <Card>
        <div className="toolbar">
          <label className="inline-label">
            {t('users.filterRole')}
            <select value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">{t('common.all')}</option>
              {(['importer', ...STAFF_ROLES] as Role[]).map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorAlert error={first.error} />
        {first.loading && rows.length === 0 ? (
          <Spinner />
        ) : rows.length === 0 ? (
          !first.error && <Empty>{t('common.empty')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="users-table">
              <thead>
                <tr>
                  <th>{t('common.name')}</th>
                  <th>{t('common.role')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('users.twoFactor')}</th>
                  <th className="right">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((u) => {
                  const isMe = u.id === me.id;
                  const locked = u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > now;
                  const busy = busyId === u.id;
                  return (
                    <tr key={u.id} className={u.status === 'disabled' ? 'row-muted' : ''}>
                      <td data-label={t('common.name')}>
                        <div className="cell">
                          <span className="strong">{u.name}</span> {isMe && <Badge tone="blue">{t('users.you')}</Badge>}
                          <div className="muted small">{u.email}</div>
                        </div>
                      </td>
                      <td data-label={t('common.role')}>
                        {u.role === 'importer' || isMe ? (
                          t(`role.${u.role}`)
                        ) : (
                          <select
                            aria-label={t('common.role')}
                            value={u.role}
                            disabled={busy}
                            onChange={(e) => void update(u, { role: e.target.value as StaffRole }, t('users.roleChanged'))}
                          >
                            {STAFF_ROLES.map((r) => (
                              <option key={r} value={r}>
                                {t(`role.${r}`)}
                              </option>
                            ))}
                          </select>
                        )}
                      </td>
                      <td data-label={t('common.status')}>
                        <div className="cell">
                          <Badge tone={u.status === 'active' ? 'green' : 'red'}>{t(`status.${u.status}`)}</Badge>{' '}
                          {locked && u.lockedUntil && <Badge tone="amber">{t('users.lockedUntil', { time: formatDateTime(u.lockedUntil) })}</Badge>}
                        </div>
                      </td>
                      <td data-label={t('users.twoFactor')}>{u.twoFactorEnabled ? <Badge tone="green">{t('settings.2faOn')}</Badge> : <Badge>{t('settings.2faOff')}</Badge>}</td>
                      <td className="right actions">
                        {locked && (
                          <Button small variant="secondary" busy={busy} onClick={() => void update(u, { unlock: true })}>
                            {t('users.unlock')}
                          </Button>
                        )}
                        {!isMe &&
                          (u.status === 'active' ? (
                            <ConfirmButton busy={busy} onConfirm={() => void update(u, { status: 'disabled' })}>
                              {t('users.disable')}
                            </ConfirmButton>
                          ) : (
                            <Button small variant="secondary" busy={busy} onClick={() => void update(u, { status: 'active' })}>
                              {t('users.enable')}
                            </Button>
                          ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
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

function CreateStaffUser({ onCreated, onCancel }: { onCreated: (u: User) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<{ email: string; name: string; password: string; role: StaffRole; locale: Lang }>({ email: '', name: '', password: '', role: 'ops', locale: lang });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.post<{ user: User }>('/staff/users', { ...form, email: form.email.trim(), name: form.name.trim() });
      onCreated(res.user);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Card title={t('users.create')} subtitle={t('enrol.required')}>
      <form className="form" onSubmit={submit} data-testid="create-user-form">
        <div className="form-grid">
          <Field label={t('common.name')}>{(id) => <input id={id} required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
          <Field label={t('common.email')}>
            {(id) => <input id={id} type="email" required autoComplete="off" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}
          </Field>
          <Field label={t('users.initialPassword')} hint={t('register.passwordHint')}>
            {(id) => <input id={id} type="text" required minLength={10} autoComplete="new-password" spellCheck={false} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />}
          </Field>
          <Field label={t('common.role')}>
            {(id) => (
              <select id={id} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as StaffRole })}>
                {STAFF_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('common.language')}>
            {(id) => (
              <select id={id} value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value as Lang })}>
                <option value="id">{t('lang.id')}</option>
                <option value="en">{t('lang.en')}</option>
              </select>
            )}
          </Field>
        </div>
        <ErrorAlert error={error} />
        <div className="form-actions">
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={busy}>
            {t('users.create')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
