import { useState } from 'react';
import { api, JOB_STATUSES, type Job, type JobStatus } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Mono, PageHeader, Spinner, useLoad } from '../ui.tsx';

const TONE: Record<JobStatus, 'neutral' | 'green' | 'amber' | 'red' | 'blue'> = { pending: 'amber', running: 'blue', done: 'green', dead: 'red' };

export function JobsPage() {
  const { t, formatDateTime } = useI18n();
  const [status, setStatus] = useState<JobStatus | ''>('');
  const [busyId, setBusyId] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();
  const jobs = useLoad(() => api.get<{ jobs: Job[] }>('/staff/jobs', { status, limit: 100 }), [status]);

  async function retry(job: Job) {
    setBusyId(job.id);
    setNotice(undefined);
    setActionError(undefined);
    try {
      await api.post(`/staff/jobs/${encodeURIComponent(job.id)}/retry`);
      setNotice(t('jobs.retried'));
      jobs.reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusyId(undefined);
    }
  }

  const list = jobs.data?.jobs ?? [];

  return (
    <>
      <PageHeader title={t('jobs.title')} subtitle={t('jobs.subtitle')} actions={<Button variant="secondary" onClick={jobs.reload}>{t('common.refresh')}</Button>} />
      {notice && <Alert kind="success">{notice}</Alert>}
      <ErrorAlert error={actionError} />
      <Card>
        <div className="tabs" role="tablist">
          {(['', ...JOB_STATUSES] as const).map((s) => (
            <button key={s || 'all'} type="button" role="tab" aria-selected={status === s} className={status === s ? 'active' : ''} onClick={() => setStatus(s)}>
              {s ? t(`jobs.status.${s}`) : t('common.all')}
            </button>
          ))}
        </div>
        <ErrorAlert error={jobs.error} />
        {jobs.loading && !jobs.data ? (
          <Spinner />
        ) : list.length === 0 ? (
          !jobs.error && <Empty>{t('jobs.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="jobs-table">
              <thead>
                <tr>
                  <th>{t('jobs.name')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('jobs.attempts')}</th>
                  <th>{t('jobs.runAt')}</th>
                  <th>{t('jobs.lastError')}</th>
                  <th className="right">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((j) => (
                  <tr key={j.id}>
                    <td data-label={t('jobs.name')}>
                      <div className="cell">
                        <span className="strong">{j.name}</span>
                        <div className="muted small">
                          <Mono>{j.id}</Mono>
                        </div>
                      </div>
                    </td>
                    <td data-label={t('common.status')}>
                      <Badge tone={TONE[j.status]}>{t(`jobs.status.${j.status}`)}</Badge>
                    </td>
                    <td data-label={t('jobs.attempts')}>
                      {j.attempts} / {j.maxAttempts}
                    </td>
                    <td data-label={t('jobs.runAt')} className="nowrap">
                      {formatDateTime(j.completedAt ?? j.runAt)}
                    </td>
                    <td data-label={t('jobs.lastError')} className="error-cell">
                      {j.lastError ?? t('common.none')}
                    </td>
                    <td className="right actions">
                      {j.status === 'dead' && (
                        <Button small variant="secondary" busy={busyId === j.id} onClick={() => void retry(j)}>
                          {t('jobs.retry')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
