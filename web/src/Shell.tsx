import { useEffect, useState, type ReactNode } from 'react';
import { Link, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import type { MessageKey } from './i18n.ts';
import { useI18n } from './i18n.ts';
import { Icon, Logo } from './icons.tsx';
import { navFor, type NavItem, type PageId } from './nav.ts';
import { AuditPage } from './pages/Audit.tsx';
import { ComingSoon, NotFound } from './pages/ComingSoon.tsx';
import { CustomerDetailPage, CustomersPage } from './pages/Customers.tsx';
import { FundingPage } from './pages/Funding.tsx';
import { ImporterDashboard } from './pages/ImporterDashboard.tsx';
import { JobsPage } from './pages/Jobs.tsx';
import { ParcelDetailPage, ParcelsPage } from './pages/Parcels.tsx';
import { PaymentOrderPage } from './pages/PaymentOrder.tsx';
import { PaymentsPage } from './pages/Payments.tsx';
import { PayoutsPage } from './pages/PayoutDesk.tsx';
import { RatesPage } from './pages/Rates.tsx';
import { RiskPage } from './pages/Risk.tsx';
import { SettingsPage } from './pages/Settings.tsx';
import { ShipmentDetailPage, ShipmentsPage } from './pages/Shipments.tsx';
import { StaffDashboard } from './pages/StaffDashboard.tsx';
import { UsersPage } from './pages/Users.tsx';
import { WalletPage } from './pages/Wallet.tsx';
import { WarehousePage } from './pages/Warehouse.tsx';
import { useSession, useSignedIn } from './session.tsx';
import { initials, LanguageSwitch } from './ui.tsx';

function pageFor(item: NavItem): ReactNode {
  if (typeof item.page === 'object') return <ComingSoon item={item} />;
  const pages: Record<PageId, ReactNode> = {
    importerDashboard: <ImporterDashboard />,
    staffDashboard: <StaffDashboard />,
    settings: <SettingsPage />,
    customers: <CustomersPage />,
    users: <UsersPage />,
    audit: <AuditPage />,
    jobs: <JobsPage />,
    rates: <RatesPage />,
    wallet: <WalletPage />,
    funding: <FundingPage />,
    payments: <PaymentsPage />,
    payouts: <PayoutsPage />,
    risk: <RiskPage />,
    parcels: <ParcelsPage />,
    shipments: <ShipmentsPage />,
    warehouse: <WarehousePage />,
  };
  return pages[item.page];
}

function groupItems(items: NavItem[]): { group: MessageKey | undefined; items: NavItem[] }[] {
  const groups: { group: MessageKey | undefined; items: NavItem[] }[] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && last.group === item.group) last.items.push(item);
    else groups.push({ group: item.group, items: [item] });
  }
  return groups;
}

/** The signed-in frame: importer portal or staff console, chosen by role. */
export function Shell() {
  const { t } = useI18n();
  const session = useSignedIn();
  const { logout } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const { user, customer } = session;
  const isImporter = user.role === 'importer';
  const items = navFor(user.role);

  useEffect(() => setMenuOpen(false), [location.pathname]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const roleLabel = t(`role.${user.role}`);
  const who = (ids: boolean) => (
    <div className="who">
      <span className="avatar" aria-hidden="true">
        {initials(user.name)}
      </span>
      <span className="who-text">
        <span className="who-name" data-testid={ids ? 'user-name' : undefined}>
          {user.name}
        </span>
        <span className="who-meta">
          <span className="role-tag" data-testid={ids ? 'user-role' : undefined}>
            {roleLabel}
          </span>
          {isImporter && customer && (
            <span className="who-customer" data-testid={ids ? 'customer-name' : undefined}>
              {customer.name}
            </span>
          )}
        </span>
      </span>
    </div>
  );

  async function doLogout() {
    setLoggingOut(true);
    await logout();
    // A deliberate logout does not bring the next person back to this page.
    navigate('/login', { replace: true });
  }

  return (
    <div className={`shell ${isImporter ? 'shell-portal' : 'shell-console'}${menuOpen ? ' menu-open' : ''}`} data-testid={isImporter ? 'importer-portal' : 'staff-console'}>
      <aside className="sidebar" id="main-menu">
        <Link to="/" className="brand">
          <Logo size={34} />
          <span>
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-sub">{t(isImporter ? 'shell.portal' : 'shell.console')}</span>
          </span>
        </Link>
        <div className="sidebar-who">{who(false)}</div>
        <nav aria-label={t('shell.menu')} data-testid="main-nav">
          {groupItems(items).map(({ group, items: groupItemsList }, i) => (
            <div className="nav-group" key={group ?? `g${i}`}>
              {group && <div className="nav-group-title">{t(group)}</div>}
              <ul>
                {groupItemsList.map((item) => (
                  <li key={item.key}>
                    <NavLink to={item.path} end={item.path === '/'} className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`} data-nav={item.key}>
                      <Icon name={item.icon} />
                      <span>{t(item.label)}</span>
                      {typeof item.page === 'object' && <span className="nav-soon" aria-hidden="true" />}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
      </aside>
      {menuOpen && <div className="scrim" onClick={() => setMenuOpen(false)} aria-hidden="true" />}
      <div className="main">
        <header className="topbar">
          <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-menu" aria-label={t('shell.menu')} onClick={() => setMenuOpen(!menuOpen)} data-testid="menu-button">
            <Icon name={menuOpen ? 'close' : 'menu'} size={22} />
          </button>
          <Link to="/" className="brand brand-compact">
            <Logo size={28} />
            <span className="brand-name">{t('app.name')}</span>
          </Link>
          <div className="topbar-who">{who(true)}</div>
          <div className="topbar-actions">
            <LanguageSwitch compact />
            <button type="button" className="btn btn-secondary btn-sm logout" onClick={() => void doLogout()} disabled={loggingOut} data-testid="logout" aria-label={t('shell.logout')} title={t('shell.logout')}>
              <Icon name="logout" size={16} />
              <span className="logout-label">{t('shell.logout')}</span>
            </button>
          </div>
        </header>
        <main className="content" id="content">
          <Routes>
            {items.map((item) => (
              <Route key={item.key} path={item.path} element={pageFor(item)} />
            ))}
            {items.some((i) => i.page === 'customers') && <Route path="/customers/:id" element={<CustomerDetailPage />} />}
            {items.some((i) => i.page === 'payments') && <Route path="/payment-orders/:id" element={<PaymentOrderPage />} />}
            {items.some((i) => i.page === 'parcels') && <Route path="/parcels/:id" element={<ParcelDetailPage />} />}
            {items.some((i) => i.page === 'shipments') && <Route path="/shipments/:id" element={<ShipmentDetailPage />} />}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </main>
      </div>
    </div>
  );
}
