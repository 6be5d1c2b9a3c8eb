/** The China warehouses, listed and (admins) added or edited. */
import { useState, type FormEvent } from 'react';
import { api, type Warehouse } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { Badge, Button, Card, ErrorAlert, Field, useAction } from '../../ui.tsx';
import { useIdempotency } from '../fundingShared.tsx';
import { type WarehouseCtx, problemFields, FieldError } from './shared.tsx';

const WAREHOUSE_FIELDS = ['name', 'city', 'addressZh', 'addressLatin', 'contactName', 'contactPhone', 'openingDays'] as const;
type WarehouseField = (typeof WAREHOUSE_FIELDS)[number];

export function WarehousesCard({ ctx, onChanged }: { ctx: WarehouseCtx; onChanged: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const rows = ctx.warehouses.data?.warehouses ?? [];
  return (
    <Card
      title={t('wh.warehouses.title')}
      testId="warehouses-card"
      actions={
        ctx.isAdmin &&
        editing !== 'new' && (
          <Button small variant="secondary" onClick={() => setEditing('new')} data-testid="warehouse-add">
            {t('wh.warehouses.add')}
          </Button>
        )
      }
    >
      <ErrorAlert error={ctx.warehouses.error} />
      {editing === 'new' && (
        <WarehouseForm
          onDone={() => {
            setEditing(null);
            onChanged();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <ul className="warehouse-list">
        {rows.map((w) => (
          <li key={w.id} data-warehouse={w.code}>
            {editing === w.id ? (
              <WarehouseForm
                warehouse={w}
                onDone={() => {
                  setEditing(null);
                  onChanged();
                }}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <div className="warehouse-item">
                <div className="cell stack">
                  <span className="strong">
                    {w.code} · {w.name} {!w.active && <Badge tone="neutral">{t('wh.warehouses.closed')}</Badge>}
                  </span>
                  <span className="small" lang="zh">
                    {w.addressZh}
                  </span>
                  <span className="small muted">{w.addressLatin}</span>
                  <span className="small muted">
                    {w.contactName} · {w.contactPhone} · {w.openingDays}
                  </span>
                </div>
                {ctx.isAdmin && (
                  <Button small variant="secondary" onClick={() => setEditing(w.id)}>
                    {t('wh.edit')}
                  </Button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function WarehouseForm({ warehouse, onDone, onCancel }: { warehouse?: Warehouse; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState(warehouse?.code ?? '');
  const [f, setF] = useState<Record<WarehouseField, string>>(() => Object.fromEntries(WAREHOUSE_FIELDS.map((k) => [k, warehouse?.[k] ?? ''])) as Record<WarehouseField, string>);
  const [active, setActive] = useState(warehouse?.active ?? true);
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const errors = problemFields(error);
  const labels: Record<WarehouseField, string> = {
    name: t('common.name'),
    city: t('wh.warehouses.city'),
    addressZh: t('wh.warehouses.addressZh'),
    addressLatin: t('wh.warehouses.addressLatin'),
    contactName: t('wh.warehouses.contactName'),
    contactPhone: t('common.phone'),
    openingDays: t('wh.warehouses.openingDays'),
  };
  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      if (warehouse) await api.patch(`/staff/warehouses/${encodeURIComponent(warehouse.id)}`, { ...f, active });
      else await idempotent((key) => api.post('/staff/warehouses', { code: code.trim(), ...f, active }, { idempotencyKey: key }));
      onDone();
    });
  }
  return (
    <form className="form sub-form" onSubmit={(e) => void submit(e)} noValidate data-testid="warehouse-form">
      <div className="form-grid form-grid-2">
        {!warehouse && (
          <Field label={t('wh.warehouses.code')}>
            {(id) => (
              <>
                <input id={id} maxLength={10} value={code} onChange={(e) => setCode(e.target.value)} />
                <FieldError message={errors.code} testId="warehouse-error-code" />
              </>
            )}
          </Field>
        )}
        {WAREHOUSE_FIELDS.map((k) => (
          <Field key={k} label={labels[k]}>
            {(id) => (
              <>
                <input id={id} value={f[k]} lang={k === 'addressZh' ? 'zh' : undefined} onChange={(e) => setF((x) => ({ ...x, [k]: e.target.value }))} aria-invalid={errors[k] ? true : undefined} />
                <FieldError message={errors[k]} testId={`warehouse-error-${k}`} />
              </>
            )}
          </Field>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        <span>{t('wh.warehouses.active')}</span>
      </label>
      <ErrorAlert error={Object.keys(errors).length ? undefined : error} />
      <div className="form-actions start">
        <Button type="submit" small busy={busy}>
          {t('common.save')}
        </Button>
        <Button small variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
