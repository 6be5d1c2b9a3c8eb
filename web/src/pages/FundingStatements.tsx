import { useRef, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, type PreviewLine, type Reconciliation, type StatementImport, type StatementLine, type StatementPreview, type StatementProblem, type StatementSummary } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { money, type MoneyJson } from '../money.ts';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, Mono, Spinner, useLoad } from '../ui.tsx';
import { BankAccountTiles, type FundingContext } from './Funding.tsx';
import { CustomerCell, LineStatusBadge, matchKindLabel, readFileAsText, useCustomerNames, useFormatDate, useIdempotency } from './fundingShared.tsx';

/** Bank statements: upload, preview, import; and the imports done before. */
export function FundingStatementsTab({ ctx }: { ctx: FundingContext }) {
  const [params, setParams] = useSearchParams();
  const importId = params.get('import');
  return (
    <>
      <BankAccountTiles ctx={ctx} />
      {importId ? (
        <ImportDetail id={importId} ctx={ctx} onClose={() => setParams({})} />
      ) : (
        ctx.canAct && <UploadCard ctx={ctx} />
      )}
      <ImportsList ctx={ctx} onOpen={(id) => setParams({ import: id })} />
    </>
  );
}

// ---- upload, preview, import ------------------------------------------------------------------------

interface Rejection {
  error: ApiError;
  problems: StatementProblem[];
  /** The file was refused for unreadable lines (skippable), not as a whole. */
  badLines: boolean;
}

function rejectionOf(err: unknown): Rejection | null {
  if (!(err instanceof ApiError) || err.code !== 'statement_rejected') return null;
  const problems = err.problem.problems ?? [];
  // The server says whether leaving the bad lines out would let the file in.
  return { error: err, problems, badLines: err.problem.skippable === true };
}

function UploadCard({ ctx }: { ctx: FundingContext }) {
  const { t } = useI18n();
  const accounts = ctx.banks.data?.bankAccounts ?? [];
  const [bankId, setBankId] = useState('');
  const [format, setFormat] = useState('');
  const [file, setFile] = useState<{ name: string; content: string; lines: number; version: number }>();
  const [skipBadLines, setSkipBadLines] = useState(false);
  const [preview, setPreview] = useState<{ key: string; result: StatementPreview }>();
  const [result, setResult] = useState<StatementImport>();
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [error, setError] = useState<unknown>();
  const [rejection, setRejection] = useState<Rejection | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const idempotent = useIdempotency();

  const account = accounts.find((a) => a.id === bankId) ?? accounts[0];
  const chosenFormat = format || account?.statementFormat || '';
  const body = account && file ? { bankAccountId: account.id, format: chosenFormat, fileName: file.name, content: file.content, ...(skipBadLines ? { skipBadLines: true } : {}) } : null;
  const bodyKey = body ? JSON.stringify([body.bankAccountId, body.format, body.fileName, skipBadLines, file?.version]) : '';
  const previewed = preview && preview.key === bodyKey ? preview.result : undefined;

  function reset() {
    setPreview(undefined);
    setResult(undefined);
    setError(undefined);
    setRejection(null);
  }

  async function send(kind: 'preview' | 'import') {
    if (!body) return;
    setBusy(kind);
    setError(undefined);
    setRejection(null);
    if (kind === 'preview') setResult(undefined);
    try {
      if (kind === 'preview') {
        const res = await api.post<StatementPreview>('/staff/funding/statements/preview', body);
        setPreview({ key: bodyKey, result: res });
      } else {
        const res = await idempotent((key) => api.post<{ import: StatementImport }>('/staff/funding/statements', body, { idempotencyKey: key }));
        setResult(res.import);
        setPreview(undefined);
        ctx.changed();
      }
    } catch (err) {
      const r = rejectionOf(err);
      if (r) setRejection(r);
      else setError(err);
      if (kind === 'preview') setPreview(undefined);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title={t('funding.upload.title')} subtitle={t('funding.upload.body')} testId="statement-upload">
      <div className="form">
        <div className="form-grid form-grid-2">
          <Field label={t('funding.upload.account')}>
            {(id) => (
              <select
                id={id}
                value={account?.id ?? ''}
                onChange={(e) => {
                  setBankId(e.target.value);
                  setFormat('');
                  reset();
                }}
                data-testid="upload-account"
              >
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.bankCode} · {a.accountNumber} · {a.holderName}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('funding.format')} hint={t('funding.upload.formatHint')}>
            {(id) => (
              <select
                id={id}
                value={chosenFormat}
                onChange={(e) => {
                  setFormat(e.target.value);
                  reset();
                }}
                data-testid="upload-format"
              >
                {(ctx.formats.data?.formats ?? []).map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="file-row">
          <input
            ref={fileRef}
            type="file"
            accept=".csv,.txt,.sta,.mt940,text/csv,text/plain"
            className="sr-only"
            id="statement-file"
            data-testid="upload-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (!f) return;
              void readFileAsText(f).then((content) => {
                setFile((old) => ({ name: f.name, content, lines: content.split(/\r?\n/).filter((l) => l.trim()).length, version: (old?.version ?? 0) + 1 }));
                setSkipBadLines(false);
                reset();
              });
            }}
          />
          <Button variant="secondary" small onClick={() => fileRef.current?.click()} data-testid="upload-choose">
            <Icon name="list" size={15} /> {t('funding.upload.choose')}
          </Button>
          <span className="muted small" data-testid="upload-file-name">
            {file ? t('funding.upload.fileInfo', { name: file.name, n: file.lines }) : t('funding.upload.noFile')}
          </span>
        </div>
        {rejection?.badLines && (
          <label className="check" data-testid="skip-bad-lines">
            <input
              type="checkbox"
              checked={skipBadLines}
              onChange={(e) => {
                setSkipBadLines(e.target.checked);
                setPreview(undefined);
              }}
            />
            <span>
              <strong>{t('funding.upload.skipBadLines')}</strong>
              <br />
              <span className="muted small">{t('funding.upload.skipBadLinesHint')}</span>
            </span>
          </label>
        )}
        {skipBadLines && !rejection && (
          <label className="check" data-testid="skip-bad-lines">
            <input type="checkbox" checked onChange={() => setSkipBadLines(false)} />
            <span>{t('funding.upload.skipBadLines')}</span>
          </label>
        )}
        {rejection && <RejectionView rejection={rejection} />}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button variant={previewed ? 'secondary' : 'primary'} busy={busy === 'preview'} disabled={!body || busy !== null} onClick={() => void send('preview')} data-testid="upload-preview">
            {t('funding.upload.preview')}
          </Button>
          <Button busy={busy === 'import'} disabled={!previewed || busy !== null} onClick={() => void send('import')} data-testid="upload-import">
            {t('funding.upload.import')}
          </Button>
          {!previewed && body && !result && <span className="muted small align-center">{t('funding.upload.previewFirst')}</span>}
        </div>
      </div>
      {previewed && <PreviewView preview={previewed} />}
      {result && <ImportResult result={result} />}
    </Card>
  );
}

function RejectionView({ rejection }: { rejection: Rejection }) {
  const { t } = useI18n();
  const p = rejection.error.problem;
  return (
    <div className="alert alert-error" role="alert" data-testid="statement-rejected" data-code={p.code}>
      <div className="alert-title">{p.title}</div>
      {p.detail && <div className="alert-body">{p.detail}</div>}
      {rejection.badLines && <div className="alert-body">{t('funding.upload.badLinesHint')}</div>}
      {rejection.problems.length > 0 && <ProblemsTable problems={rejection.problems} testId="statement-problems" />}
      {p.requestId && (
        <div className="alert-meta">
          {t('common.requestId')}: <code>{p.requestId}</code>
        </div>
      )}
    </div>
  );
}

export function ProblemsTable({ problems, testId }: { problems: StatementProblem[]; testId?: string }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap problems-wrap">
      <table className="table problems-table" data-testid={testId}>
        <thead>
          <tr>
            <th>{t('funding.problem.line')}</th>
            <th>{t('funding.problem.column')}</th>
            <th>{t('funding.problem.message')}</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, i) => (
            <tr key={`${p.line}-${i}`}>
              <td data-label={t('funding.problem.line')} className="nowrap">
                {p.line}
              </td>
              <td data-label={t('funding.problem.column')}>{p.column ?? '—'}</td>
              <td data-label={t('funding.problem.message')}>
                <span className="cell">{p.message}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SummaryStats({ summary, testId }: { summary: Omit<StatementSummary, 'creditsTotal'> & { creditsTotal?: MoneyJson | undefined }; testId: string }) {
  const { t, lang } = useI18n();
  const stats: { key: Exclude<keyof StatementSummary, 'creditsTotal'>; label: string; tone?: 'green' | 'amber' | 'red' }[] = [
    { key: 'linesTotal', label: t('funding.summary.linesTotal') },
    { key: 'linesNew', label: t('funding.summary.linesNew') },
    { key: 'linesDuplicate', label: t('funding.summary.linesDuplicate') },
    { key: 'linesSkipped', label: t('funding.summary.linesSkipped'), ...(summary.linesSkipped > 0 ? { tone: 'red' as const } : {}) },
    { key: 'creditsMatched', label: t('funding.summary.creditsMatched'), tone: 'green' },
    { key: 'creditsReview', label: t('funding.summary.creditsReview'), ...(summary.creditsReview > 0 ? { tone: 'amber' as const } : {}) },
    { key: 'debits', label: t('funding.summary.debits') },
  ];
  return (
    <div className="stat-grid" data-testid={testId}>
      {stats.map((s) => (
        <div key={s.key} className={`stat${s.tone ? ` stat-${s.tone}` : ''}`} data-testid={`summary-${s.key}`} data-value={String(summary[s.key])}>
          <span className="stat-value">{summary[s.key]}</span>
          <span className="stat-label">{s.label}</span>
        </div>
      ))}
      {summary.creditsTotal && (
        <div className="stat stat-wide" data-testid="summary-creditsTotal">
          <span className="stat-value">{money(summary.creditsTotal, lang)}</span>
          <span className="stat-label">{t('funding.summary.creditsTotal')}</span>
        </div>
      )}
    </div>
  );
}

function addMoney(a: MoneyJson, b: MoneyJson): MoneyJson {
  return { amount: (BigInt(a.amount) + BigInt(b.amount)).toString(), currency: a.currency };
}

function subMoney(a: MoneyJson, b: MoneyJson): MoneyJson {
  return { amount: (BigInt(a.amount) - BigInt(b.amount)).toString(), currency: a.currency };
}

/** Statement balance against the ledger: for a preview, also what the ledger will be after the import. */
function ReconciliationView({ rec, creditsTotal }: { rec: Reconciliation; creditsTotal?: MoneyJson }) {
  const { t, lang } = useI18n();
  const projected = rec.basis === 'preview' && creditsTotal ? addMoney(rec.ledgerBalance, creditsTotal) : null;
  const projectedDiff = projected && rec.statementBalance ? subMoney(rec.statementBalance, projected) : null;
  const balancedAfter = projectedDiff ? projectedDiff.amount === '0' : rec.balanced;
  const status = (ok: boolean | null) =>
    ok === null ? <Badge tone="neutral">{t('funding.rec.noBalance')}</Badge> : ok ? <Badge tone="green">{t('funding.rec.balanced')}</Badge> : <Badge tone="red">{t('funding.rec.unbalanced')}</Badge>;
  return (
    <div className="reconciliation" data-testid="reconciliation">
      <h3 className="section-title">
        {t('funding.rec.title')} <span data-testid="reconciliation-status">{status(balancedAfter)}</span>
      </h3>
      <dl className="facts">
        <dt>{t('funding.rec.statementBalance')}</dt>
        <dd className="strong" data-testid="rec-statement">
          {rec.statementBalance ? money(rec.statementBalance, lang) : t('funding.rec.none')}
        </dd>
        <dt>{rec.basis === 'preview' ? t('funding.rec.ledgerBefore') : t('funding.rec.ledger')}</dt>
        <dd data-testid="rec-ledger">{money(rec.ledgerBalance, lang)}</dd>
        {rec.basis === 'preview' && (
          <>
            <dt>{t('funding.rec.differenceNow')}</dt>
            <dd data-testid="rec-difference-now">{rec.difference ? money(rec.difference, lang) : '—'}</dd>
            {projected && (
              <>
                <dt>{t('funding.rec.ledgerAfter')}</dt>
                <dd data-testid="rec-ledger-after">{money(projected, lang)}</dd>
                <dt>{t('funding.rec.differenceAfter')}</dt>
                <dd className="strong" data-testid="rec-difference">
                  {projectedDiff ? money(projectedDiff, lang) : '—'}
                </dd>
              </>
            )}
          </>
        )}
        {rec.basis === 'import' && (
          <>
            <dt>{t('funding.rec.difference')}</dt>
            <dd className="strong" data-testid="rec-difference">
              {rec.difference ? money(rec.difference, lang) : '—'}
            </dd>
          </>
        )}
      </dl>
      {rec.basis === 'preview' && <p className="muted small">{t('funding.rec.previewNote')}</p>}
      {rec.balanceBreaks.length > 0 ? (
        <>
          <Alert kind="warning" title={t('funding.rec.breaks', { n: rec.balanceBreaks.length })}>
            {t('funding.rec.breaksBody')}
          </Alert>
          <div className="table-wrap">
            <table className="table" data-testid="balance-breaks">
              <thead>
                <tr>
                  <th>{t('funding.problem.line')}</th>
                  <th className="right">{t('funding.rec.expected')}</th>
                  <th className="right">{t('funding.rec.found')}</th>
                </tr>
              </thead>
              <tbody>
                {rec.balanceBreaks.map((b) => (
                  <tr key={b.line}>
                    <td data-label={t('funding.problem.line')}>{b.line}</td>
                    <td data-label={t('funding.rec.expected')} className="right">
                      {money(b.expected, lang)}
                    </td>
                    <td data-label={t('funding.rec.found')} className="right">
                      {money(b.found, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="muted small">{t('funding.rec.noBreaks')}</p>
      )}
    </div>
  );
}

function Amount({ direction, amount }: { direction: 'credit' | 'debit'; amount: MoneyJson }) {
  const { lang } = useI18n();
  return <span className={direction === 'credit' ? 'amount-in' : 'amount-out'}>{`${direction === 'credit' ? '+' : '−'}${money(amount, lang)}`}</span>;
}

function Candidates({ candidates, names }: { candidates: { depositId: string; customerId: string; why: string }[]; names: Map<string, string> }) {
  const { t } = useI18n();
  if (candidates.length === 0) return null;
  return (
    <ul className="candidates" data-testid="candidates">
      {candidates.map((c) => (
        <li key={c.depositId}>
          <span className="strong">{names.get(c.customerId) ?? c.customerId}</span> · <Mono>{c.depositId}</Mono>
          <div className="muted small">
            {t('funding.candidate')}: {c.why}
          </div>
        </li>
      ))}
    </ul>
  );
}

function PreviewView({ preview }: { preview: StatementPreview }) {
  const { t } = useI18n();
  const formatDate = useFormatDate();
  const ids = preview.lines.flatMap((l) => (l.match ? ('customerId' in l.match ? [l.match.customerId] : l.match.candidates.map((c) => c.customerId)) : []));
  const names = useCustomerNames(ids);
  return (
    <div className="preview" data-testid="statement-preview">
      <h3 className="section-title">{t('funding.preview.title')}</h3>
      <SummaryStats summary={preview.summary} testId="preview-summary" />
      {preview.problems.length > 0 && (
        <>
          <Alert kind="warning" title={t('funding.preview.skipped', { n: preview.problems.length })} />
          <ProblemsTable problems={preview.problems} testId="preview-problems" />
        </>
      )}
      <ReconciliationView rec={preview.reconciliation} creditsTotal={preview.summary.creditsTotal} />
      <h3 className="section-title">{t('funding.preview.lines')}</h3>
      <div className="table-wrap">
        <table className="table" data-testid="preview-lines">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('funding.line.date')}</th>
              <th>{t('funding.line.description')}</th>
              <th className="right">{t('wallet.col.amount')}</th>
              <th className="right">{t('funding.line.balance')}</th>
              <th>{t('funding.line.match')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.lines.map((l) => (
              <tr key={l.lineNo} data-line={l.lineNo} className={l.duplicate ? 'row-muted' : undefined}>
                <td data-label="#">{l.lineNo}</td>
                <td data-label={t('funding.line.date')} className="nowrap">
                  {formatDate(l.date)}
                </td>
                <td data-label={t('funding.line.description')}>
                  <span className="cell desc-cell">{l.description}</span>
                </td>
                <td data-label={t('wallet.col.amount')} className="right nowrap strong" data-testid="line-amount">
                  <Amount direction={l.direction} amount={l.amount} />
                </td>
                <td data-label={t('funding.line.balance')} className="right nowrap">
                  {l.balance ? <BalanceText amount={l.balance} /> : '—'}
                </td>
                <td data-label={t('funding.line.match')} data-testid="line-match">
                  <PreviewMatch line={l} names={names} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function BalanceText({ amount }: { amount: MoneyJson }) {
  const { lang } = useI18n();
  return <>{money(amount, lang)}</>;
}

function PreviewMatch({ line, names }: { line: PreviewLine; names: Map<string, string> }): ReactNode {
  const { t } = useI18n();
  if (line.duplicate) return <Badge tone="neutral">{t('funding.line.duplicate')}</Badge>;
  const m = line.match;
  if (!m) return <span className="muted small">{t('funding.line.debit')}</span>;
  if ('kind' in m) {
    return (
      <div className="cell match-cell" data-kind={m.kind}>
        <Badge tone="green">{matchKindLabel(m.kind, t)}</Badge> {m.late && <Badge tone="amber">{t('deposit.late')}</Badge>}
        <div className="small">
          {names.get(m.customerId) ?? m.customerId} · <Mono>{m.depositId}</Mono>
        </div>
        <div className="muted small">{m.reason}</div>
      </div>
    );
  }
  return (
    <div className="cell match-cell" data-review={m.review}>
      <Badge tone="amber">{t(`funding.review.${m.review}`)}</Badge>
      <div className="muted small">{m.reason}</div>
      <Candidates candidates={m.candidates} names={names} />
    </div>
  );
}

function ImportResult({ result }: { result: StatementImport }) {
  const { t } = useI18n();
  const [, setParams] = useSearchParams();
  return (
    <div className="import-result" data-testid="import-result">
      <Alert kind="success" title={t('funding.import.done', { file: result.fileName })}>
        {t('funding.import.doneBody', { matched: result.creditsMatched, review: result.creditsReview, duplicate: result.linesDuplicate })}
      </Alert>
      <SummaryStats summary={result} testId="import-summary" />
      {result.skipped.length > 0 && <ProblemsTable problems={result.skipped} testId="import-skipped" />}
      <ReconciliationView rec={result.reconciliation} />
      <div className="form-actions start">
        {result.creditsReview > 0 && (
          <Button small onClick={() => setParams({ tab: 'review' })} data-testid="go-review">
            {t('funding.import.toReview', { n: result.creditsReview })}
          </Button>
        )}
        <Button variant="secondary" small onClick={() => setParams({ import: result.id })}>
          {t('funding.import.open')}
        </Button>
      </div>
    </div>
  );
}

// ---- past imports ------------------------------------------------------------------------------------

function ImportsList({ ctx, onOpen }: { ctx: FundingContext; onOpen: (id: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  const list = useLoad(() => api.get<{ imports: StatementImport[] }>('/staff/funding/statements', { limit: 50 }), [ctx.version]);
  const banks = new Map((ctx.banks.data?.bankAccounts ?? []).map((b) => [b.id, b]));
  const rows = list.data?.imports ?? [];
  return (
    <Card title={t('funding.imports.title')} subtitle={t('funding.imports.body')} testId="imports-card">
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Spinner />
      ) : rows.length === 0 ? (
        !list.error && <Empty>{t('funding.imports.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table table-click" data-testid="imports-table">
            <thead>
              <tr>
                <th>{t('funding.imports.at')}</th>
                <th>{t('funding.imports.file')}</th>
                <th>{t('funding.imports.period')}</th>
                <th className="right">{t('funding.imports.lines')}</th>
                <th className="right">{t('funding.imports.matched')}</th>
                <th>{t('funding.rec.title')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const b = banks.get(r.bankAccountId);
                return (
                  <tr key={r.id} data-import={r.id} onClick={() => onOpen(r.id)}>
                    <td data-label={t('funding.imports.at')}>{formatDateTime(r.createdAt)}</td>
                    <td data-label={t('funding.imports.file')}>
                      <div className="cell">
                        <button type="button" className="linkish" onClick={(e) => (e.stopPropagation(), onOpen(r.id))}>
                          {r.fileName}
                        </button>
                        <div className="muted small">{b ? `${b.bankCode} ${b.accountNumber}` : r.bankAccountId}</div>
                      </div>
                    </td>
                    <td data-label={t('funding.imports.period')}>
                      {formatDate(r.periodFrom)} – {formatDate(r.periodTo)}
                    </td>
                    <td data-label={t('funding.imports.lines')} className="right">
                      {t('funding.imports.linesValue', { n: r.linesNew, dup: r.linesDuplicate, skipped: r.linesSkipped })}
                    </td>
                    <td data-label={t('funding.imports.matched')} className="right">
                      {t('funding.imports.matchedValue', { matched: r.creditsMatched, review: r.creditsReview })}
                    </td>
                    <td data-label={t('funding.rec.title')}>
                      {r.reconciliation.balanced === null ? (
                        <Badge tone="neutral">{t('funding.rec.noBalance')}</Badge>
                      ) : r.reconciliation.balanced ? (
                        <Badge tone="green">{t('funding.rec.balanced')}</Badge>
                      ) : (
                        <Badge tone="red">{t('funding.rec.unbalanced')}</Badge>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** The import's new credits in total (the stored import does not carry it; its new lines do). */
function creditsOf(lines: StatementLine[]): MoneyJson {
  const total = lines.filter((l) => l.direction === 'credit').reduce((sum, l) => sum + BigInt(l.amount.amount), 0n);
  return { amount: total.toString(), currency: 'IDR' };
}

function ImportDetail({ id, ctx, onClose }: { id: string; ctx: FundingContext; onClose: () => void }) {
  const { t, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  const loaded = useLoad(() => api.get<{ import: StatementImport; lines: StatementLine[] }>(`/staff/funding/statements/${encodeURIComponent(id)}`), [id, ctx.version]);
  const imp = loaded.data?.import;
  const lines = loaded.data?.lines ?? [];
  const names = useCustomerNames(lines.flatMap((l) => [l.customerId, ...(l.review?.candidates ?? []).map((c) => c.customerId)]));
  const bank = ctx.banks.data?.bankAccounts.find((b) => b.id === imp?.bankAccountId);
  return (
    <Card
      title={imp ? t('funding.imports.detailTitle', { file: imp.fileName }) : t('funding.imports.detail')}
      subtitle={<Mono>{id}</Mono>}
      actions={
        <Button variant="ghost" small onClick={onClose} data-testid="import-close">
          {t('common.close')}
        </Button>
      }
      testId="import-detail"
    >
      <ErrorAlert error={loaded.error} />
      {!imp ? (
        <Spinner />
      ) : (
        <>
          <dl className="facts">
            <dt>{t('funding.upload.account')}</dt>
            <dd>{bank ? `${bank.bankCode} · ${bank.accountNumber}` : imp.bankAccountId}</dd>
            <dt>{t('funding.format')}</dt>
            <dd>{ctx.formats.data?.formats.find((f) => f.id === imp.format)?.label ?? imp.format}</dd>
            <dt>{t('funding.imports.period')}</dt>
            <dd>
              {formatDate(imp.periodFrom)} – {formatDate(imp.periodTo)}
            </dd>
            <dt>{t('funding.imports.at')}</dt>
            <dd>{formatDateTime(imp.createdAt)}</dd>
          </dl>
          <SummaryStats summary={{ ...imp, creditsTotal: imp.creditsTotal ?? (lines.length < 5000 ? creditsOf(lines) : undefined) }} testId="detail-summary" />
          {imp.skipped.length > 0 && (
            <>
              <h3 className="section-title">{t('funding.imports.skipped')}</h3>
              <ProblemsTable problems={imp.skipped} />
            </>
          )}
          <ReconciliationView rec={imp.reconciliation} />
          <h3 className="section-title">{t('funding.imports.newLines')}</h3>
          {lines.length === 0 ? (
            <p className="muted small">{t('funding.imports.noNewLines')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="import-lines">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>{t('funding.line.date')}</th>
                    <th>{t('funding.line.description')}</th>
                    <th className="right">{t('wallet.col.amount')}</th>
                    <th>{t('common.status')}</th>
                    <th>{t('funding.customer')}</th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l) => (
                    <tr key={l.id} data-line={l.lineNo}>
                      <td data-label="#">{l.lineNo}</td>
                      <td data-label={t('funding.line.date')} className="nowrap">
                        {formatDate(l.date)}
                      </td>
                      <td data-label={t('funding.line.description')}>
                        <div className="cell desc-cell">
                          {l.description}
                          {l.match && (
                            <div className="muted small">
                              {matchKindLabel(l.match.kind, t)}
                              {l.match.reason ? ` — ${l.match.reason}` : ''}
                            </div>
                          )}
                          {l.review && <div className="muted small">{l.review.explanation}</div>}
                        </div>
                      </td>
                      <td data-label={t('wallet.col.amount')} className="right nowrap strong">
                        <Amount direction={l.direction} amount={l.amount} />
                      </td>
                      <td data-label={t('common.status')}>
                        <LineStatusBadge status={l.status} />
                      </td>
                      <td data-label={t('funding.customer')}>
                        <CustomerCell id={l.customerId} names={names} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
