/** Photos taken on the warehouse floor: picked or shot with the camera, checked, previewed, sent as base64. */
import { useRef, useState } from 'react';
import { useI18n } from '../../i18n.ts';
import { Icon } from '../../icons.tsx';
import { Button } from '../../ui.tsx';
import { readFileAsBase64 } from '../fundingShared.tsx';

export const MAX_PHOTOS = 6;
const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

export interface Photo {
  fileName: string;
  contentBase64: string;
  preview: string;
}

export function PhotoInput({ photos, onChange, testId, max = MAX_PHOTOS }: { photos: Photo[]; onChange: (p: Photo[]) => void; testId: string; max?: number }) {
  const { t } = useI18n();
  const ref = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState(false);
  const [problem, setProblem] = useState<string>();
  return (
    <div className="photo-input">
      <input
        ref={ref}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        className="sr-only"
        data-testid={testId}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length === 0) return;
          const bad = files.find((f) => (f.type && !PHOTO_TYPES.includes(f.type)) || f.size === 0 || f.size > PHOTO_MAX_BYTES);
          if (bad) return setProblem(t('wh.photos.invalid', { name: bad.name }));
          if (photos.length + files.length > max) return setProblem(t('wh.photos.tooMany', { n: max }));
          setProblem(undefined);
          setReading(true);
          void Promise.all(files.map(async (f) => ({ fileName: f.name || 'photo.jpg', contentBase64: await readFileAsBase64(f), preview: URL.createObjectURL(f) })))
            .then((added) => onChange([...photos, ...added]))
            .finally(() => setReading(false));
        }}
      />
      <Button variant="secondary" busy={reading} onClick={() => ref.current?.click()} className="btn-block" data-testid={`${testId}-button`}>
        <Icon name="parcel" size={16} /> {photos.length ? t('wh.photos.more', { n: photos.length, max }) : t('wh.photos.take')}
      </Button>
      {problem && <span className="text-error small">{problem}</span>}
      {photos.length > 0 && (
        <ul className="photo-previews" data-testid={`${testId}-previews`}>
          {photos.map((p, i) => (
            <li key={p.preview}>
              <img src={p.preview} alt={p.fileName} />
              <button type="button" className="photo-remove" aria-label={t('wh.photos.remove', { name: p.fileName })} onClick={() => onChange(photos.filter((_, j) => j !== i))}>
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
