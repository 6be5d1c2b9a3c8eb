import { Link } from 'react-router-dom';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import type { NavItem } from '../nav.ts';
import { Badge, PageHeader } from '../ui.tsx';

/** A navigation slot for a module that is not built yet. */
export function ComingSoon({ item }: { item: NavItem }) {
  const { t } = useI18n();
  const description = typeof item.page === 'object' ? t(item.page.soon) : undefined;
  return (
    <>
      <PageHeader title={t(item.label)} {...(description ? { subtitle: description } : {})} />
      <div className="soon" data-testid="coming-soon">
        <div className="soon-icon">
          <Icon name={item.icon} size={30} />
        </div>
        <Badge tone="amber">{t('soon.title')}</Badge>
        <p>{t('soon.body')}</p>
        <div className="soon-actions">
          {item.key === 'quotes' && (
            <Link to="/harga" className="btn btn-primary btn-sm" data-testid="soon-check-prices">
              <span>{t('soon.quotesNow')}</span>
            </Link>
          )}
          <Link to="/" className="btn btn-secondary btn-sm">
            <span>{t('error.goHome')}</span>
          </Link>
        </div>
      </div>
    </>
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <div className="soon" data-testid="not-found">
      <div className="soon-icon">
        <Icon name="alert" size={30} />
      </div>
      <h1>{t('error.notFound')}</h1>
      <p>{t('error.notFoundHint')}</p>
      <Link to="/" className="btn btn-secondary btn-sm">
        <span>{t('error.goHome')}</span>
      </Link>
    </div>
  );
}
