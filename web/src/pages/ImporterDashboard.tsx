import { Link } from 'react-router-dom';
import { api, type Customer, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon, type IconName } from '../icons.tsx';
import { useSignedIn } from '../session.tsx';
import { Badge, RecoveryCodesWarning, Card, ErrorAlert, Mono, PageHeader, Spinner, initials, useLoad } from '../ui.tsx';

export function ImporterDashboard() {
  const { t, formatDateTime } = useI18n();
  const session = useSignedIn();
  const customerId = session.user.customerId;
  const account = useLoad(
    () => (customerId ? api.get<{ customer: Customer; users: User[] }>(`/customers/${encodeURIComponent(customerId)}`) : Promise.resolve(undefined)),
    [customerId],
  );
  const customer = account.data?.customer ?? session.customer;

  const steps: { icon: IconName; title: string; body: string; to?: string; done?: boolean; soon?: boolean }[] = [
    { icon: 'kyc', title: t('dash.step.kyc'), body: t('dash.step.kycBody'), soon: true },
    { icon: 'quote', title: t('dash.step.quote'), body: t('dash.step.quoteBody'), to: '/harga' },
    session.user.twoFactorEnabled
      ? { icon: 'shield', title: t('dash.step.2fa'), body: t('dash.step.2faDone'), to: '/settings', done: true }
      : { icon: 'shield', title: t('dash.step.2fa'), body: t('dash.step.2faBody'), to: '/settings' },
  ];

  return (
    <>
      <PageHeader title={t('dash.welcome', { name: session.user.name })} subtitle={t('dash.importerIntro')} />
      <RecoveryCodesWarning left={session.recoveryCodesLeft} />
      <div className="grid-2">
        <Card title={t('dash.account')} testId="customer-card">
          {customer ? (
            <>
              <div className="account-head">
                <span className="avatar avatar-lg" aria-hidden="true">
                  {initials(customer.name)}
                </span>
                <div>
                  <div className="account-name">{customer.name}</div>
                  <div className="muted small">{t(customer.kind === 'company' ? 'kind.company' : 'kind.person')}</div>
                </div>
                <Badge tone={customer.status === 'active' ? 'green' : 'red'}>{t(`status.${customer.status}`)}</Badge>
              </div>
              <dl className="facts">
                <dt>{t('dash.accountId')}</dt>
                <dd>
                  <Mono>{customer.id}</Mono>
                </dd>
                <dt>{t('common.phone')}</dt>
                <dd>{customer.phone ?? t('common.none')}</dd>
                <dt>{t('common.createdAt')}</dt>
                <dd>{formatDateTime(customer.createdAt)}</dd>
              </dl>
            </>
          ) : account.loading ? (
            <Spinner />
          ) : null}
          <ErrorAlert error={account.error} />
          {account.data && account.data.users.length > 0 && (
            <div className="members">
              <h3>{t('dash.members')}</h3>
              <ul className="member-list">
                {account.data.users.map((u) => (
                  <li key={u.id}>
                    <span className="avatar avatar-sm" aria-hidden="true">
                      {initials(u.name)}
                    </span>
                    <span className="member-text">
                      <span>{u.name}</span>
                      <span className="muted small">{u.email}</span>
                    </span>
                    {u.twoFactorEnabled && <Badge tone="green">2FA</Badge>}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Card>
        <Card title={t('dash.nextSteps')}>
          <ul className="steps">
            {steps.map((s) => {
              const inner = (
                <>
                  <span className="step-icon">
                    <Icon name={s.done ? 'check' : s.icon} />
                  </span>
                  <span className="step-text">
                    <span className="step-title">
                      {s.title}
                      {s.soon && <Badge tone="amber">{t('dash.soonBadge')}</Badge>}
                    </span>
                    <span className="muted small">{s.body}</span>
                  </span>
                  {s.to && <Icon name="arrowRight" size={16} />}
                </>
              );
              return (
                <li key={s.title} className={s.done ? 'done' : ''}>
                  {s.to ? <Link to={s.to}>{inner}</Link> : <div>{inner}</div>}
                </li>
              );
            })}
          </ul>
        </Card>
      </div>
    </>
  );
}
