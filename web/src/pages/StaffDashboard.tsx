import { Link } from 'react-router-dom';
import { api, type Job } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { navFor } from '../nav.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, PageHeader, RecoveryCodesWarning, useLoad } from '../ui.tsx';

export function StaffDashboard() {
  const { t } = useI18n();
  const session = useSignedIn();
  const { user } = session;
  const modules = navFor(user.role).filter((i) => i.key !== 'dashboard' && i.key !== 'settings');
  const dead = useLoad(
    () => (user.role === 'admin' ? api.get<{ jobs: Job[] }>('/staff/jobs', { status: 'dead', limit: 200 }).then((r) => r.jobs.length) : Promise.resolve(0)),
    [user.role],
  );

  return (
    <>
      <PageHeader title={t('dash.welcome', { name: user.name })} subtitle={t('dash.staffIntro', { role: t(`role.${user.role}`) })} />
      <RecoveryCodesWarning left={session.recoveryCodesLeft} />
      {(dead.data ?? 0) > 0 && (
        <Alert kind="error">
          <Link to="/jobs">{t('dash.deadJobs', { n: dead.data ?? 0 })}</Link>
        </Alert>
      )}
      <div className="tiles">
        {modules.map((item) => {
          const soon = typeof item.page === 'object';
          return (
            <Link key={item.key} to={item.path} className={`tile${soon ? ' tile-soon' : ''}`}>
              <span className="tile-icon">
                <Icon name={item.icon} size={20} />
              </span>
              <span className="tile-title">{t(item.label)}</span>
              <span className="tile-body">{typeof item.page === 'object' ? t(item.page.soon) : item.about ? t(item.about) : ''}</span>
              {soon ? <Badge tone="amber">{t('soon.title')}</Badge> : <span className="tile-open">{t('dash.openModule')} →</span>}
            </Link>
          );
        })}
      </div>
    </>
  );
}
