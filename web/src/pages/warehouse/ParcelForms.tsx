/** What staff do to one stored parcel: measure again, add photos, reinstate, assign or reassign it. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, PARCEL_CONDITIONS, type ParcelCondition, type StaffParcelDetail } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { Alert, Button, ErrorAlert, Field, Segmented, useAction } from '../../ui.tsx';
import { useIdempotency } from '../fundingShared.tsx';
import { conditionName, parseCm, parseKg } from '../forwardingShared.tsx';
import { problemFields, FieldError } from './shared.tsx';
import { useMarkingLookup, MarkingMatch } from './marking.tsx';
import { type Photo, PhotoInput } from './photos.tsx';

export function Remeasure({ detail, onSaved }: { detail: StaffParcelDetail; onSaved: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const p = detail.parcel;
  const [form, setForm] = useState({ cartons: String(p.cartons), weightKg: p.weightKg, lengthCm: p.lengthCm, widthCm: p.widthCm, heightCm: p.heightCm, conditionNote: p.conditionNote ?? '' });
  const [condition, setCondition] = useState<ParcelCondition>(p.condition);
  const [local, setLocal] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const errors = problemFields(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const weightKg = parseKg(form.weightKg);
    const dims = [parseCm(form.lengthCm), parseCm(form.widthCm), parseCm(form.heightCm)];
    const cartons = /^\s*[0-9]{1,5}\s*$/.test(form.cartons) ? Number(form.cartons) : NaN;
    if (!weightKg || dims.some((x) => !x) || !(cartons >= 1)) return setLocal(t('wh.err.check'));
    setLocal(undefined);
    await run(async () => {
      const res = await api.patch<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(p.id)}`, { cartons, weightKg, lengthCm: dims[0], widthCm: dims[1], heightCm: dims[2], condition, conditionNote: form.conditionNote.trim() });
      setNotice(t('wh.remeasure.saved'));
      onSaved(res);
    });
  }
  return (
    <form className="form sub-form" onSubmit={(e) => void submit(e)} noValidate data-testid="remeasure-form">
      <h3 className="section-title">{t('wh.remeasure.title')}</h3>
      <div className="measure-row measure-row-2">
        <Field label={t('fwd.cartons')}>{(id) => <input id={id} inputMode="numeric" value={form.cartons} onChange={set('cartons')} data-testid="remeasure-cartons" />}</Field>
        <Field label={t('wh.weightKg')}>
          {(id) => (
            <>
              <input id={id} inputMode="decimal" value={form.weightKg} onChange={set('weightKg')} aria-invalid={errors.weightKg ? true : undefined} data-testid="remeasure-weight" />
              <FieldError message={errors.weightKg} testId="remeasure-error-weight" />
            </>
          )}
        </Field>
      </div>
      <div className="measure-row measure-row-3">
        <Field label={t('wh.length')}>{(id) => <input id={id} inputMode="decimal" value={form.lengthCm} onChange={set('lengthCm')} data-testid="remeasure-length" />}</Field>
        <Field label={t('wh.width')}>{(id) => <input id={id} inputMode="decimal" value={form.widthCm} onChange={set('widthCm')} data-testid="remeasure-width" />}</Field>
        <Field label={t('wh.height')}>{(id) => <input id={id} inputMode="decimal" value={form.heightCm} onChange={set('heightCm')} data-testid="remeasure-height" />}</Field>
      </div>
      <Segmented legend={t('fwd.condition')} name="remeasure-condition" value={condition} options={PARCEL_CONDITIONS.map((c) => ({ value: c, label: conditionName(c, t) }))} onChange={setCondition} />
      <Field label={t('wh.conditionNote')} optional>
        {(id) => <input id={id} maxLength={500} value={form.conditionNote} onChange={set('conditionNote')} />}
      </Field>
      {local && <Alert kind="error">{local}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button type="submit" small busy={busy} data-testid="remeasure-submit">
          {t('wh.remeasure.submit')}
        </Button>
      </div>
    </form>
  );
}

/**
 * A write on one stored parcel (`POST /staff/parcels/:id/<path>`): `post` sends it with an
 * Idempotency-Key kept while it is retried; the server answers with the parcel's staff view.
 */
function useParcelWrite() {
  const action = useAction();
  const idempotent = useIdempotency();
  const post = (parcelId: string, path: 'photos' | 'reinstate' | 'assign' | 'reassign', body: unknown) =>
    idempotent((key) => api.post<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(parcelId)}/${path}`, body, { idempotencyKey: key }));
  return { ...action, post };
}

export function AddPhotos({ parcelId, left, onAdded }: { parcelId: string; left: number; onAdded: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const [photos, setPhotos] = useState<Photo[]>([]);
  const { busy, error, run, post } = useParcelWrite();
  return (
    <div className="sub-form" data-testid="add-photos">
      <PhotoInput photos={photos} onChange={setPhotos} testId="add-photos-input" max={left} />
      <ErrorAlert error={error} />
      {photos.length > 0 && (
        <Button
          small
          busy={busy}
          data-testid="add-photos-submit"
          onClick={() =>
            void run(async () => {
              const res = await post(parcelId, 'photos', { photos: photos.map((p) => ({ fileName: p.fileName, contentBase64: p.contentBase64 })) });
              setPhotos([]);
              onAdded(res);
            })
          }
        >
          {t('wh.photos.upload', { n: photos.length })}
        </Button>
      )}
    </div>
  );
}

export function Reinstate({ parcelId, onDone }: { parcelId: string; onDone: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, run, post } = useParcelWrite();
  return (
    <form
      className="form sub-form"
      noValidate
      data-testid="reinstate-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => onDone(await post(parcelId, 'reinstate', { reason: reason.trim() })));
      }}
    >
      <h3 className="section-title">{t('wh.reinstate.title')}</h3>
      <Field label={t('wh.reason')}>{(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reinstate-reason" />}</Field>
      <ErrorAlert error={error} />
      <Button type="submit" small busy={busy} disabled={reason.trim().length < 3} data-testid="reinstate-submit">
        {t('wh.reinstate.submit')}
      </Button>
    </form>
  );
}

/** What assigning and reassigning a parcel share: the marking code typed (looked up as it is typed), the note, the write and its field errors. */
function useGive() {
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const lookup = useMarkingLookup(code);
  const write = useParcelWrite();
  return { code, setCode, note, setNote, lookup, write, errors: problemFields(write.error) };
}
type Give = ReturnType<typeof useGive>;

/** The marking code a parcel is given to, with whose it is (or why it cannot be given it); `children` adds a warning. Test ids `${testId}-code`, `${testId}-error-code`. */
function GiveCodeField({ give, label, testId, children }: { give: Give; label: string; testId: string; children?: ReactNode }) {
  return (
    <Field label={label}>
      {(id) => (
        <>
          <input id={id} autoComplete="off" autoCapitalize="characters" value={give.code} onChange={(e) => give.setCode(e.target.value)} aria-invalid={give.errors.markingCode ? true : undefined} data-testid={`${testId}-code`} />
          {give.code.trim() && <MarkingMatch lookup={give.lookup} empty={false} use="assign" />}
          {children}
          <FieldError message={give.errors.markingCode} testId={`${testId}-error-code`} />
        </>
      )}
    </Field>
  );
}

/** Why the parcel is given (kept in its history). Test id `${testId}-note`. */
function GiveNoteField({ give, hint, testId }: { give: Give; hint: string; testId: string }) {
  const { t } = useI18n();
  return (
    <Field label={t('wh.assign.note')} hint={hint}>
      {(id) => <input id={id} maxLength={500} value={give.note} onChange={(e) => give.setNote(e.target.value)} data-testid={`${testId}-note`} />}
    </Field>
  );
}

export function AssignForm({ parcelId, onAssigned }: { parcelId: string; onAssigned: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const give = useGive();
  const { code, note, errors } = give;
  const { busy, error, run, post } = give.write;
  return (
    <form
      className="form sub-form assign-form"
      noValidate
      data-testid="assign-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => onAssigned(await post(parcelId, 'assign', { markingCode: code.trim(), note: note.trim() })));
      }}
    >
      <h3 className="section-title">{t('wh.assign.title')}</h3>
      <GiveCodeField give={give} label={t('fwd.markingCode')} testId="assign" />
      <GiveNoteField give={give} hint={t('wh.assign.noteHint')} testId="assign" />
      <ErrorAlert error={Object.keys(errors).length ? undefined : error} />
      <Button type="submit" small busy={busy} disabled={code.trim().length < 3 || note.trim().length < 3} data-testid="assign-submit">
        {t('wh.assign.submit')}
      </Button>
    </form>
  );
}

/** A parcel given to the wrong importer (its code misread at receipt) moves to the right one; both are told. */
export function ReassignForm({ detail, onReassigned }: { detail: StaffParcelDetail; onReassigned: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const give = useGive();
  const { code, setCode, note, setNote, lookup, errors } = give;
  const { busy, error, run, post } = give.write;
  const same = lookup.state === 'found' && lookup.code === detail.customer?.markingCode;
  if (!open)
    return (
      <div className="sub-form">
        <Button small variant="secondary" onClick={() => setOpen(true)} data-testid="reassign-open">
          {t('wh.reassign.open')}
        </Button>
      </div>
    );
  return (
    <form
      className="form sub-form assign-form"
      noValidate
      data-testid="reassign-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const res = await post(detail.parcel.id, 'reassign', { markingCode: code.trim(), note: note.trim() });
          setOpen(false);
          setCode('');
          setNote('');
          onReassigned(res);
        });
      }}
    >
      <h3 className="section-title">{t('wh.reassign.title')}</h3>
      <p className="small muted">{t('wh.reassign.body', { name: detail.customer?.name ?? '' })}</p>
      <GiveCodeField give={give} label={t('wh.reassign.code')} testId="reassign">
        {same && <span className="text-error small">{t('wh.reassign.same')}</span>}
      </GiveCodeField>
      <GiveNoteField give={give} hint={t('wh.reassign.noteHint')} testId="reassign" />
      <ErrorAlert error={Object.keys(errors).length ? undefined : error} />
      <div className="form-actions start">
        <Button type="submit" small busy={busy} disabled={lookup.state !== 'found' || same || note.trim().length < 3} data-testid="reassign-submit">
          {lookup.state === 'found' && !same ? t('wh.reassign.submitTo', { name: lookup.name }) : t('wh.reassign.submit')}
        </Button>
        <Button small variant="ghost" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
