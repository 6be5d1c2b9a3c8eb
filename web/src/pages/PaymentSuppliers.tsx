import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, type Payee, type PayeeKind, type Supplier, type SupplierWithPayees } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, Segmented, Spinner, useAction, type Loaded } from '../ui.tsx';
import { useIdempotency } from './fundingShared.tsx';
import { fieldError, payeeKindLabel, problemField } from './paymentsShared.tsx';

/** Banks suppliers name most often; the field takes any name. */
const CN_BANKS = ['中国工商银行 (ICBC)', '中国建设银行 (CCB)', '中国农业银行 (ABC)', '中国银行 (BOC)', '交通银行 (BOCOM)', '招商银行 (CMB)', '中国邮政储蓄银行 (PSBC)', '浙江稠州商业银行', '义乌农商银行'];
const PAYEE_FIELDS = ['kind', 'account', 'holderName', 'bankName', 'bankBranch', 'cnapsCode'];

/** The importer's suppliers (1688 store and company) with the accounts they are paid to. */
export function SuppliersTab({ suppliers, onChanged }: { suppliers: Loaded<{ suppliers: SupplierWithPayees[] }>; onChanged: () => void }) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string>();
  const list = suppliers.data?.suppliers ?? [];
  return (
    <>
      <Card
        title={t('supplier.title')}
        subtitle={t('supplier.body')}
        testId="suppliers-card"
        actions={
          !adding && (
            <Button small onClick={() => setAdding(true)} data-testid="supplier-add">
              {t('supplier.add')}
            </Button>
          )
        }
      >
        {adding && (
          <SupplierForm
            onCreated={(s) => {
              setAdding(false);
              setNotice(t('supplier.created', { name: s.storeName }));
              onChanged();
            }}
            onCancel={() => setAdding(false)}
          />
        )}
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={suppliers.error} />
        {suppliers.loading && !suppliers.data ? <Spinner /> : list.length === 0 && !adding && !suppliers.error ? <Empty>{t('supplier.none')}</Empty> : null}
      </Card>
      <div className="supplier-list">
        {list.map((s) => (
          <SupplierCard key={s.id} supplier={s} onChanged={onChanged} />
        ))}
      </div>
    </>
  );
}

export function SupplierForm({ onCreated, onCancel }: { onCreated: (s: Supplier) => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ storeName: '', companyName: '' });
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = form.storeName.trim().length < 2 ? 'storeName' : form.companyName.trim().length < 2 ? 'companyName' : undefined;
    setInvalid(problem);
    if (problem) return;
    await run(async () => {
      const res = await idempotent((key) => api.post<{ supplier: Supplier }>('/suppliers', { storeName: form.storeName.trim(), companyName: form.companyName.trim() }, { idempotencyKey: key }));
      setForm({ storeName: '', companyName: '' });
      onCreated(res.supplier);
    });
  }

  const err = (f: string) => (invalid === f ? t('supplier.tooShort') : fieldError(error, f));
  return (
    <form className="form sub-form" onSubmit={submit} noValidate data-testid="supplier-form">
      <div className="form-grid form-grid-2">
        <Field label={t('supplier.storeName')} hint={err('storeName') ? <span className="text-error">{err('storeName')}</span> : t('supplier.storeNameHint')}>
          {(id) => <input id={id} maxLength={200} autoComplete="off" value={form.storeName} onChange={set('storeName')} aria-invalid={err('storeName') ? true : undefined} data-testid="supplier-store" />}
        </Field>
        <Field label={t('supplier.companyName')} hint={err('companyName') ? <span className="text-error">{err('companyName')}</span> : t('supplier.companyNameHint')}>
          {(id) => <input id={id} maxLength={200} autoComplete="off" lang="zh" placeholder="义乌市某某贸易有限公司" value={form.companyName} onChange={set('companyName')} aria-invalid={err('companyName') ? true : undefined} data-testid="supplier-company" />}
        </Field>
      </div>
      {!problemField(error) && <ErrorAlert error={error} />}
      <div className="form-actions start">
        <Button type="submit" busy={busy} data-testid="supplier-submit">
          {t('supplier.save')}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
      </div>
    </form>
  );
}

function SupplierCard({ supplier, onChanged }: { supplier: SupplierWithPayees; onChanged: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [open, setOpen] = useState<{ mode: 'add' } | { mode: 'edit'; payee: Payee } | null>(null);
  const [notice, setNotice] = useState<string>();
  return (
    <div data-supplier={supplier.id} className="supplier-wrap">
    <Card
      title={supplier.storeName}
      subtitle={<span lang="zh">{supplier.companyName}</span>}
      testId="supplier"
      className="supplier-card"
      actions={
        <Button
          small
          variant="secondary"
          onClick={() => {
            setNotice(undefined);
            setOpen({ mode: 'add' });
          }}
          data-testid="payee-add"
        >
          {t('payee.add')}
        </Button>
      }
    >
      {supplier.payees.length === 0 && !open && <p className="muted small">{t('payee.none')}</p>}
      {supplier.payees.length > 0 && (
        <ul className="payee-list" data-testid="payees">
          {supplier.payees.map((p) => (
            <li key={p.id} data-testid="payee" data-payee={p.id} className="payee-item">
              <div className="payee-main">
                <Badge tone={p.kind === 'bank' ? 'blue' : 'green'}>{payeeKindLabel(p.kind, t)}</Badge>
                <span className="mono strong" data-testid="payee-account">
                  {p.account}
                </span>
                <span lang="zh" data-testid="payee-holder">
                  {p.holderName}
                </span>
                {p.status !== 'active' && <Badge tone="neutral">{t('payee.archived')}</Badge>}
                {p.detailsChangedAt && (
                  <span title={formatDateTime(p.detailsChangedAt)}>
                    <Badge tone="amber">{t('payee.changedAt', { at: formatDateTime(p.detailsChangedAt) })}</Badge>
                  </span>
                )}
              </div>
              {p.kind === 'bank' && (
                <div className="muted small" lang="zh">
                  {[p.bankName, p.bankBranch, p.cnapsCode ? `CNAPS ${p.cnapsCode}` : null].filter(Boolean).join(' · ')}
                </div>
              )}
              <div className="payee-actions">
                {p.status === 'active' && (
                  <Link className="btn btn-primary btn-sm" to={`/payment-orders?tab=new&supplier=${encodeURIComponent(supplier.id)}&payee=${encodeURIComponent(p.id)}`} data-testid="payee-pay">
                    <Icon name="send" size={14} />
                    <span>{t('payee.pay')}</span>
                  </Link>
                )}
                <Button
                  small
                  variant="secondary"
                  onClick={() => {
                    setNotice(undefined);
                    setOpen({ mode: 'edit', payee: p });
                  }}
                  data-testid="payee-edit"
                >
                  {t('payee.edit')}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <PayeeForm
          key={open.mode === 'edit' ? open.payee.id : 'add'}
          supplier={supplier}
          initial={open.mode === 'edit' ? open.payee : undefined}
          onSaved={(p) => {
            setOpen(null);
            setNotice(open.mode === 'edit' ? t('payee.updated', { account: p.account }) : t('payee.created', { account: p.account }));
            onChanged();
          }}
          onCancel={() => setOpen(null)}
        />
      )}
      {notice && <Alert kind="success">{notice}</Alert>}
    </Card>
    </div>
  );
}

export function PayeeForm({ supplier, initial, onSaved, onCancel }: { supplier: Supplier; initial?: Payee | undefined; onSaved: (p: Payee) => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<PayeeKind>(initial?.kind ?? 'alipay');
  const [form, setForm] = useState({
    account: initial?.account ?? '',
    holderName: initial?.holderName ?? '',
    bankName: initial?.bankName ?? '',
    bankBranch: initial?.bankBranch ?? '',
    cnapsCode: initial?.cnapsCode ?? '',
  });
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const bank = kind === 'bank';

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const details = {
        kind,
        account: form.account.trim(),
        holderName: form.holderName.trim(),
        ...(bank && form.bankName.trim() ? { bankName: form.bankName.trim() } : {}),
        ...(bank && form.bankBranch.trim() ? { bankBranch: form.bankBranch.trim() } : {}),
        ...(bank && form.cnapsCode.trim() ? { cnapsCode: form.cnapsCode.trim() } : {}),
      };
      const res = initial
        ? await api.put<{ payee: Payee }>(`/payees/${encodeURIComponent(initial.id)}`, details)
        : await idempotent((key) => api.post<{ payee: Payee }>('/payees', { supplierId: supplier.id, ...details }, { idempotencyKey: key }));
      onSaved(res.payee);
    });
  }

  const hint = (field: string, normal: string) => {
    const e = fieldError(error, field);
    return e ? (
      <span className="text-error" data-testid={`error-${field}`}>
        {e}
      </span>
    ) : (
      normal
    );
  };
  const invalid = (field: string) => (fieldError(error, field) ? true : undefined);
  const errorElsewhere = !!error && !PAYEE_FIELDS.includes(problemField(error) ?? '');

  return (
    <form className="form sub-form payee-form" onSubmit={submit} noValidate data-testid="payee-form">
      <h3 className="form-section-title">{initial ? t('payee.editTitle') : t('payee.addTitle', { store: supplier.storeName })}</h3>
      {initial && (
        <Alert kind="warning" title={t('payee.editWarningTitle')}>
          <span data-testid="payee-edit-warning">{t('payee.editWarning')}</span>
        </Alert>
      )}
      <Segmented
        legend={t('payee.kind')}
        name={`payee-kind-${initial?.id ?? supplier.id}`}
        value={kind}
        testId="payee-kind"
        options={[
          { value: 'alipay', label: payeeKindLabel('alipay', t) },
          { value: 'wechat', label: payeeKindLabel('wechat', t) },
          { value: 'bank', label: payeeKindLabel('bank', t) },
        ]}
        onChange={setKind}
      />
      <div className="form-grid form-grid-2">
        <Field label={bank ? t('payee.accountBank') : kind === 'alipay' ? t('payee.accountAlipay') : t('payee.accountWechat')} hint={hint('account', bank ? t('payee.accountBankHint') : kind === 'alipay' ? t('payee.accountAlipayHint') : t('payee.accountWechatHint'))}>
          {(id) => <input id={id} maxLength={60} autoComplete="off" inputMode={bank ? 'numeric' : 'text'} value={form.account} onChange={set('account')} aria-invalid={invalid('account')} data-testid="payee-account-input" />}
        </Field>
        <Field label={t('payee.holderName')} hint={hint('holderName', bank ? t('payee.holderBankHint') : t('payee.holderHint'))}>
          {(id) => <input id={id} maxLength={100} autoComplete="off" lang="zh" value={form.holderName} onChange={set('holderName')} aria-invalid={invalid('holderName')} data-testid="payee-holder-input" />}
        </Field>
        {bank && (
          <>
            <Field label={t('payee.bankName')} hint={hint('bankName', t('payee.bankNameHint'))}>
              {(id) => (
                <>
                  <input id={id} list="cn-banks" maxLength={100} autoComplete="off" lang="zh" value={form.bankName} onChange={set('bankName')} aria-invalid={invalid('bankName')} data-testid="payee-bank-input" />
                  <datalist id="cn-banks">
                    {CN_BANKS.map((b) => (
                      <option key={b} value={b} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <Field label={t('payee.bankBranch')} optional hint={hint('bankBranch', t('payee.bankBranchHint'))}>
              {(id) => <input id={id} maxLength={200} autoComplete="off" lang="zh" value={form.bankBranch} onChange={set('bankBranch')} aria-invalid={invalid('bankBranch')} data-testid="payee-branch-input" />}
            </Field>
            <Field label={t('payee.cnaps')} optional hint={hint('cnapsCode', t('payee.cnapsHint'))}>
              {(id) => <input id={id} maxLength={20} inputMode="numeric" autoComplete="off" value={form.cnapsCode} onChange={set('cnapsCode')} aria-invalid={invalid('cnapsCode')} data-testid="payee-cnaps-input" />}
            </Field>
          </>
        )}
      </div>
      {!!error && !errorElsewhere && (
        <p className="text-error small" role="alert" data-testid="payee-form-error">
          {t('payee.fixField')}
        </p>
      )}
      {errorElsewhere && <ErrorAlert error={error} />}
      <div className="form-actions start">
        <Button type="submit" busy={busy} data-testid="payee-submit">
          {initial ? t('payee.saveChanges') : t('payee.save')}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
      </div>
    </form>
  );
}
