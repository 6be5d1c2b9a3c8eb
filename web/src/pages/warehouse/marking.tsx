/** The marking code read off a box, looked up as staff type: whose it is, or why it is nobody's. */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { Icon } from '../../icons.tsx';
import { markingShape } from '../forwardingShared.tsx';

/**
 * The answer about a code typed or read off a box. The server decides (404: nobody has it);
 * what the code looks like only says why: a wrong check digit (a misread or mistyped digit),
 * not a marking code at all, or a well-formed code nobody has.
 */
export type Lookup = { state: 'idle' } | { state: 'looking' } | { state: 'found'; name: string; code: string } | { state: 'unknown' | 'badCheck' | 'notCode' | 'error' };

/** Whose code is this? Asked as staff type, the newest answer wins. */
export function useMarkingLookup(code: string): Lookup {
  const [result, setResult] = useState<Lookup>({ state: 'idle' });
  useEffect(() => {
    const c = code.trim();
    if (c.length < 3) {
      setResult({ state: 'idle' });
      return;
    }
    let alive = true;
    setResult({ state: 'looking' });
    const timer = window.setTimeout(() => {
      api.get<{ markingCode: string; customer: { id: string; name: string } }>(`/staff/marking-codes/${encodeURIComponent(c)}`).then(
        (r) => alive && setResult({ state: 'found', name: r.customer.name, code: r.markingCode }),
        (err: unknown) => {
          if (!alive) return;
          if (!(err instanceof ApiError) || err.status !== 404) return setResult({ state: 'error' });
          const shape = markingShape(c);
          setResult({ state: shape.kind === 'badCheck' ? 'badCheck' : shape.kind === 'notCode' ? 'notCode' : 'unknown' });
        },
      );
    }, 250);
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [code]);
  return result;
}

/** `receive`: where the parcel will go (the unidentified queue); `assign`: whether it can be given to that code. */
export function MarkingMatch({ lookup, empty, use = 'receive' }: { lookup: Lookup; empty: boolean; use?: 'receive' | 'assign' }) {
  const { t } = useI18n();
  if (empty) return <span className="marking-match marking-none" data-testid="marking-match" data-state="none">{t('wh.marking.none')}</span>;
  if (lookup.state === 'looking' || lookup.state === 'idle') return <span className="marking-match muted" data-testid="marking-match" data-state="looking">{t('wh.marking.looking')}</span>;
  if (lookup.state === 'found')
    return (
      <span className="marking-match marking-found" data-testid="marking-match" data-state="found">
        <Icon name="check" size={16} /> <strong data-testid="marking-customer">{lookup.name}</strong> <span className="mono small">{lookup.code}</span>
      </span>
    );
  if (lookup.state === 'error')
    return (
      <span className="marking-match marking-unknown" data-testid="marking-match" data-state="error">
        <Icon name="alert" size={16} /> {t('wh.marking.error')}
      </span>
    );
  const what = lookup.state === 'badCheck' ? t('wh.marking.badCheck') : lookup.state === 'notCode' ? t('wh.marking.notCode') : t('wh.marking.unknownCode');
  return (
    <span className={`marking-match ${lookup.state === 'badCheck' ? 'marking-bad' : 'marking-unknown'}`} data-testid="marking-match" data-state={lookup.state}>
      <Icon name="alert" size={16} />
      <span>
        <strong>{what}</strong> {use === 'receive' ? t('wh.marking.toQueue') : t('wh.marking.cannotAssign')}
      </span>
    </span>
  );
}
