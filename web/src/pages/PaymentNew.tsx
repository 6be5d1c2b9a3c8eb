import { useEffect, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, type OrderDetail, type OrderMode, type SupplierWithPayees, type UploadedDocument } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { money, moneyOf, parseAmount } from '../money.ts';
import { Alert, Button, Card, ErrorAlert, Field, Segmented, Spinner, useAction, type Loaded } from '../ui.tsx';
import { useIdempotency } from './fundingShared.tsx';
import { PayeeForm, SupplierForm } from './PaymentSuppliers.tsx';
import { FilePick, modeLabel, payeeSummary, percentNumber, percentText, splitByPercent, type PickedFile } from './paymentsShared.tsx';

const ORDER_NUMBER = /^[0-9A-Za-z-]{3,40}$/;
const STEPS = ['supplier', 'payee', 'details', 'mode', 'pay'] as const;

/** The wizard's first steps: supplier, payee, amount and 1688 order numbers, mode; it creates the draft. */
export function NewOrderWizard({ suppliers, onSuppliersChanged, initialSupplier, initialPayee }: { suppliers: Loaded<{ suppliers: SupplierWithPayees[] }>; onSuppliersChanged: () => void; initialSupplier: string | null; initialPayee: string | null }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const list = suppliers.data?.suppliers ?? [];
  const [step, setStep] = useState(initialSupplier && initialPayee ? 2 : initialSupplier ? 1 : 0);
  const [supplierId, setSupplierId] = useState(initialSupplier ?? '');
  const [payeeId, setPayeeId] = useState(initialPayee ?? '');
  const [addingSupplier, setAddingSupplier] = useState(false);
  const [addingPayee, setAddingPayee] = useState(false);
  const [amount, setAmount] = useState('');
  const [numbers, setNumbers] = useState<string[]>(['']);
  const [note, setNote] = useState('');
  const [invoice, setInvoice] = useState<{ picked: PickedFile; doc: UploadedDocument }>();
  const upload = useAction();
  const [invoiceInvalid, setInvoiceInvalid] = useState(false);
  const [mode, setMode] = useState<OrderMode>('direct');
  const [percents, setPercents] = useState<string[]>(['30', '70']);
  const [invalid, setInvalid] = useState<string>();
  const create = useAction();
  const idempotent = useIdempotency();

  const supplier = list.find((s) => s.id === supplierId);
  const payees = (supplier?.payees ?? []).filter((p) => p.status === 'active');
  const payee = payees.find((p) => p.id === payeeId);
  const minor = parseAmount(amount, 2);
  const cleanNumbers = numbers.map((n) => n.trim()).filter(Boolean);
  const parts = minor && mode === 'installments' ? splitByPercent(BigInt(minor), percents) : null;

  // With no supplier yet, the form to add one opens by itself.
  useEffect(() => {
    if (suppliers.data && list.length === 0) setAddingSupplier(true);
  }, [suppliers.data, list.length]);
  useEffect(() => {
    if (supplier && payees.length === 0) setAddingPayee(true);
  }, [supplier, payees.length]);

  function next() {
    setInvalid(undefined);
    if (step === 0 && !supplier) return setInvalid(t('wizard.pickSupplier'));
    if (step === 1 && !payee) return setInvalid(t('wizard.pickPayee'));
    if (step === 2) {
      if (!minor || BigInt(minor) <= 0n) return setInvalid(t('wizard.amountInvalid'));
      if (cleanNumbers.length === 0) return setInvalid(t('wizard.numbersRequired'));
      const bad = cleanNumbers.find((n) => !ORDER_NUMBER.test(n));
      if (bad) return setInvalid(t('wizard.numberInvalid', { n: bad }));
      if (note.length > 500) return setInvalid(t('wizard.noteTooLong'));
    }
    setStep((s) => s + 1);
  }

  async function submit() {
    setInvalid(undefined);
    if (mode === 'installments' && !parts) return setInvalid(t('wizard.percentsInvalid'));
    if (parts && parts.some((p) => p <= 0n)) return setInvalid(t('wizard.partTooSmall'));
    await create.run(async () => {
      const body = {
        supplierId,
        payeeId,
        orderNumbers: cleanNumbers,
        cny: { amount: minor!, currency: 'CNY' },
        mode,
        ...(note.trim() ? { noteToSupplier: note.trim() } : {}),
        ...(mode === 'installments' ? { installments: percents.map(percentNumber) } : {}),
        ...(invoice ? { invoiceDocumentId: invoice.doc.id } : {}),
      };
      const res = await idempotent((key) => api.post<OrderDetail>('/payment-orders', body, { idempotencyKey: key }));
      navigate(`/payment-orders/${encodeURIComponent(res.order.id)}`, { state: { created: true } });
    });
  }

  async function uploadInvoice(f: PickedFile) {
    setInvoiceInvalid(false);
    setInvoice(undefined);
    await upload.run(async () => {
      const res = await api.post<{ document: UploadedDocument }>('/documents', { kind: 'invoice', fileName: f.fileName, contentBase64: f.contentBase64 });
      setInvoice({ picked: f, doc: res.document });
    });
  }

  const nav = (
    <div className="form-actions start wizard-actions">
      {step > 0 && (
        <Button variant="secondary" onClick={() => setStep((s) => s - 1)} data-testid="wizard-back">
          {t('common.back')}
        </Button>
      )}
      {step < 3 ? (
        <Button onClick={next} data-testid="wizard-next">
          {t('common.continue')}
        </Button>
      ) : (
        <Button busy={create.busy} onClick={() => void submit()} data-testid="wizard-create">
          {t('wizard.create')}
        </Button>
      )}
    </div>
  );

  return (
    <Card title={t('wizard.title')} subtitle={t('wizard.body')} testId="order-wizard">
      <Stepper current={step} />
      <ErrorAlert error={suppliers.error} />
      {suppliers.loading && !suppliers.data && <Spinner />}
      {suppliers.data && (
        <div className="wizard-step" data-step={STEPS[step]}>
          {step === 0 && (
            <fieldset className="choice-field">
              <legend className="step-legend">{t('wizard.step.supplier')}</legend>
              <div className="choices" data-testid="supplier-choices">
                {list.map((s) => (
                  <Choice key={s.id} name="wizard-supplier" checked={s.id === supplierId} onChange={() => {
                      setSupplierId(s.id);
                      setPayeeId('');
                      setAddingPayee(false);
                    }} title={s.storeName} testId="supplier-choice">
                    <span lang="zh">{s.companyName}</span>
                    <span className="muted small"> · {t('wizard.payeeCount', { n: s.payees.filter((p) => p.status === 'active').length })}</span>
                  </Choice>
                ))}
              </div>
              {addingSupplier ? (
                <SupplierForm
                  onCreated={(s) => {
                    setAddingSupplier(false);
                    setSupplierId(s.id);
                    setPayeeId('');
                    onSuppliersChanged();
                  }}
                  {...(list.length > 0 ? { onCancel: () => setAddingSupplier(false) } : {})}
                />
              ) : (
                <Button variant="link" onClick={() => setAddingSupplier(true)} data-testid="wizard-add-supplier">
                  + {t('supplier.add')}
                </Button>
              )}
            </fieldset>
          )}
          {step === 1 && supplier && (
            <fieldset className="choice-field">
              <legend className="step-legend">{t('wizard.step.payeeOf', { store: supplier.storeName })}</legend>
              <div className="choices" data-testid="payee-choices">
                {payees.map((p) => (
                  <Choice key={p.id} name="wizard-payee" checked={p.id === payeeId} onChange={() => setPayeeId(p.id)} title={payeeSummary(p, t)} testId="payee-choice">
                    {p.kind === 'bank' && p.bankBranch && <span className="muted small" lang="zh">{p.bankBranch}</span>}
                    {p.detailsChangedAt && <span className="small text-warning"> {t('wizard.payeeChanged')}</span>}
                  </Choice>
                ))}
              </div>
              {addingPayee ? (
                <PayeeForm
                  supplier={supplier}
                  onSaved={(p) => {
                    setAddingPayee(false);
                    setPayeeId(p.id);
                    onSuppliersChanged();
                  }}
                  {...(payees.length > 0 ? { onCancel: () => setAddingPayee(false) } : {})}
                />
              ) : (
                <Button variant="link" onClick={() => setAddingPayee(true)} data-testid="wizard-add-payee">
                  + {t('payee.add')}
                </Button>
              )}
            </fieldset>
          )}
          {step === 2 && (
            <div className="form">
              <h3 className="step-legend">{t('wizard.step.details')}</h3>
              <div className="form-grid form-grid-2">
                <Field label={t('wizard.amount')} hint={t('wizard.amountHint')}>
                  {(id) => (
                    <div className="affix-input">
                      <span className="affix">¥</span>
                      <input id={id} inputMode="decimal" autoComplete="off" placeholder="1,234.56" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="order-amount" />
                    </div>
                  )}
                </Field>
                <div className="field">
                  <span className="field-label" id="order-numbers-label">
                    {t('wizard.orderNumbers')}
                  </span>
                  <div className="order-number-inputs" role="group" aria-labelledby="order-numbers-label">
                    {numbers.map((n, i) => (
                      <div className="order-number-row" key={i}>
                        <input
                          aria-label={t('wizard.orderNumberN', { n: i + 1 })}
                          inputMode="numeric"
                          autoComplete="off"
                          maxLength={40}
                          placeholder="3312456789012345"
                          value={n}
                          onChange={(e) => setNumbers((all) => all.map((x, j) => (j === i ? e.target.value : x)))}
                          data-testid="order-number"
                        />
                        {numbers.length > 1 && (
                          <Button variant="ghost" small aria-label={t('wizard.removeNumber')} onClick={() => setNumbers((all) => all.filter((_, j) => j !== i))}>
                            <Icon name="close" size={14} />
                          </Button>
                        )}
                      </div>
                    ))}
                    {numbers.length < 50 && (
                      <Button variant="link" small onClick={() => setNumbers((all) => [...all, ''])} data-testid="order-number-add">
                        + {t('wizard.addNumber')}
                      </Button>
                    )}
                  </div>
                  <div className="hint">{t('wizard.orderNumbersHint')}</div>
                </div>
              </div>
              <Field label={t('wizard.note')} optional hint={t('wizard.noteHint')}>
                {(id) => <textarea id={id} rows={2} maxLength={500} lang="zh" value={note} onChange={(e) => setNote(e.target.value)} data-testid="order-note" />}
              </Field>
              <div className="field">
                <span className="field-label">
                  {t('wizard.invoice')} <span className="muted">({t('common.optional')})</span>
                </span>
                <FilePick
                  label={t('wizard.invoicePick')}
                  hint={t('wizard.invoiceHint')}
                  value={invoice?.picked}
                  testId="invoice-file"
                  onInvalid={() => setInvoiceInvalid(true)}
                  onPick={(f) => void uploadInvoice(f)}
                />
                {upload.busy && <Spinner label={t('wizard.uploading')} />}
                {invoice && (
                  <div className="small text-ok" data-testid="invoice-uploaded">
                    <Icon name="check" size={14} /> {t('wizard.invoiceUploaded', { name: invoice.doc.fileName })}
                  </div>
                )}
                {invoiceInvalid && <p className="text-error small">{t('wizard.invoiceInvalid')}</p>}
                <ErrorAlert error={upload.error} />
              </div>
            </div>
          )}
          {step === 3 && supplier && payee && minor && (
            <div className="form">
              <h3 className="step-legend">{t('wizard.step.mode')}</h3>
              <Segmented
                legend={t('wizard.mode')}
                name="order-mode"
                hideLegend
                value={mode}
                testId="order-mode"
                options={[
                  { value: 'direct', label: modeLabel('direct', t) },
                  { value: 'escrow', label: modeLabel('escrow', t) },
                  { value: 'installments', label: modeLabel('installments', t) },
                ]}
                onChange={setMode}
              />
              <p className="muted small mode-about" data-testid="mode-about">
                {t(`wizard.modeAbout.${mode}`)}
              </p>
              {mode === 'installments' && (
                <div className="installments-editor" data-testid="installments-editor">
                  {percents.map((p, i) => (
                    <div className="installment-row" key={i}>
                      <label className="inline-label">
                        <span>{t('pay.partN', { n: i + 1, of: percents.length })}</span>
                        <span className="affix-input affix-end percent-input">
                          <input inputMode="decimal" value={p} onChange={(e) => setPercents((all) => all.map((x, j) => (j === i ? e.target.value : x)))} data-testid="installment-percent" />
                          <span className="affix">%</span>
                        </span>
                      </label>
                      <span className="strong nowrap" data-testid="installment-cny">
                        {parts ? moneyOf(parts[i]!, 'CNY', lang) : '—'}
                      </span>
                      {percents.length > 2 && (
                        <Button variant="ghost" small aria-label={t('wizard.removePart')} onClick={() => setPercents((all) => all.filter((_, j) => j !== i))}>
                          <Icon name="close" size={14} />
                        </Button>
                      )}
                    </div>
                  ))}
                  {!parts && <p className="text-error small">{t('wizard.percentsInvalid')}</p>}
                  {percents.length < 6 && (
                    <Button variant="link" small onClick={() => setPercents((all) => [...all, '0'])}>
                      + {t('wizard.addPart')}
                    </Button>
                  )}
                </div>
              )}
              <h3 className="section-title">{t('wizard.summary')}</h3>
              <dl className="facts" data-testid="wizard-summary">
                <dt>{t('pay.supplier')}</dt>
                <dd>
                  {supplier.storeName} · <span lang="zh">{supplier.companyName}</span>
                </dd>
                <dt>{t('pay.payee')}</dt>
                <dd lang="zh">{payeeSummary(payee, t)}</dd>
                <dt>{t('wizard.amount')}</dt>
                <dd className="strong" data-testid="summary-amount">
                  {money({ amount: minor, currency: 'CNY' }, lang)}
                </dd>
                <dt>{t('wizard.orderNumbers')}</dt>
                <dd className="mono">{cleanNumbers.join(', ')}</dd>
                {note.trim() && (
                  <>
                    <dt>{t('wizard.note')}</dt>
                    <dd lang="zh">{note.trim()}</dd>
                  </>
                )}
                <dt>{t('wizard.invoice')}</dt>
                <dd>{invoice ? invoice.doc.fileName : t('common.none')}</dd>
                <dt>{t('wizard.mode')}</dt>
                <dd>
                  {modeLabel(mode, t)}
                  {mode === 'installments' && parts && ` · ${percents.map((p, i) => `${percentText(String(percentNumber(p)), lang)} = ${moneyOf(parts[i]!, 'CNY', lang)}`).join(' + ')}`}
                </dd>
              </dl>
              <Alert kind="info">{t('wizard.nextIsQuote')}</Alert>
              <ErrorAlert error={create.error} />
            </div>
          )}
        </div>
      )}
      {invalid && (
        <p className="text-error small" role="alert" data-testid="wizard-invalid">
          {invalid}
        </p>
      )}
      {suppliers.data && nav}
    </Card>
  );
}

/** Where the importer is: five numbered steps, the last two on the order page. */
export function Stepper({ current }: { current: number }) {
  const { t } = useI18n();
  return (
    <ol className="wizard-steps" data-testid="wizard-steps">
      {STEPS.map((s, i) => (
        <li key={s} className={i < current ? 'done' : i === current ? 'current' : ''} aria-current={i === current ? 'step' : undefined}>
          <span className="wizard-step-no">{i < current ? <Icon name="check" size={13} /> : i + 1}</span>
          <span className="wizard-step-label">{t(`wizard.stepShort.${s}`)}</span>
        </li>
      ))}
    </ol>
  );
}

function Choice({ name, checked, onChange, title, children, testId }: { name: string; checked: boolean; onChange: () => void; title: ReactNode; children?: ReactNode; testId: string }) {
  return (
    <label className={`choice${checked ? ' active' : ''}`} data-testid={testId}>
      <input type="radio" name={name} checked={checked} onChange={onChange} />
      <span className="choice-text">
        <span className="strong">{title}</span>
        {children && <span className="choice-detail">{children}</span>}
      </span>
    </label>
  );
}
