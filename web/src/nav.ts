import type { Role } from './api.ts';
import type { IconName } from './icons.tsx';
import type { MessageKey } from './i18n.ts';

/** Modules with a page of their own; everything else is a "coming soon" slot. */
export type PageId = 'importerDashboard' | 'staffDashboard' | 'settings' | 'customers' | 'users' | 'audit' | 'jobs' | 'rates' | 'wallet' | 'funding' | 'payments' | 'payouts' | 'risk' | 'parcels' | 'shipments' | 'warehouse';

export interface NavItem {
  key: string;
  path: string;
  label: MessageKey;
  icon: IconName;
  /** Who sees it; absent = everyone in this shell. */
  roles?: readonly Role[];
  group?: MessageKey;
  /** One line about the module, for dashboard tiles (placeholders use their `soon` text). */
  about?: MessageKey;
  /** The page that renders it, or the description shown on its "coming soon" placeholder. */
  page: PageId | { soon: MessageKey };
}

export const IMPORTER_NAV: readonly NavItem[] = [
  { key: 'dashboard', path: '/', label: 'nav.dashboard', icon: 'home', page: 'importerDashboard' },
  { key: 'quotes', path: '/quotes', label: 'nav.quotes', icon: 'quote', group: 'nav.group.money', page: { soon: 'soon.quotes' } },
  { key: 'payment-orders', path: '/payment-orders', label: 'nav.paymentOrders', icon: 'send', group: 'nav.group.money', about: 'about.payments', page: 'payments' },
  { key: 'wallet', path: '/wallet', label: 'nav.wallet', icon: 'wallet', group: 'nav.group.money', page: 'wallet' },
  { key: 'parcels', path: '/parcels', label: 'nav.parcels', icon: 'parcel', group: 'nav.group.logistics', about: 'about.parcels', page: 'parcels' },
  { key: 'shipments', path: '/shipments', label: 'nav.shipments', icon: 'truck', group: 'nav.group.logistics', about: 'about.shipments', page: 'shipments' },
  { key: 'settings', path: '/settings', label: 'nav.settings', icon: 'settings', group: 'nav.group.account', page: 'settings' },
];

const CUSTOMER_READERS: readonly Role[] = ['ops', 'finance', 'compliance', 'admin'];

export const STAFF_NAV: readonly NavItem[] = [
  { key: 'dashboard', path: '/', label: 'nav.dashboard', icon: 'home', page: 'staffDashboard' },
  { key: 'payouts', path: '/payouts', label: 'nav.payouts', icon: 'clock', group: 'nav.group.operations', roles: CUSTOMER_READERS, about: 'about.payouts', page: 'payouts' },
  { key: 'funding', path: '/funding', label: 'nav.funding', icon: 'funding', group: 'nav.group.operations', roles: CUSTOMER_READERS, about: 'about.funding', page: 'funding' },
  { key: 'warehouse', path: '/warehouse', label: 'nav.warehouse', icon: 'warehouse', group: 'nav.group.operations', about: 'about.warehouse', page: 'warehouse' },
  { key: 'customers', path: '/customers', label: 'nav.customers', icon: 'customers', group: 'nav.group.customers', roles: CUSTOMER_READERS, about: 'about.customers', page: 'customers' },
  { key: 'kyc', path: '/kyc', label: 'nav.kyc', icon: 'kyc', group: 'nav.group.customers', page: { soon: 'soon.kyc' } },
  { key: 'risk', path: '/risk', label: 'nav.risk', icon: 'shield', group: 'nav.group.customers', roles: CUSTOMER_READERS, about: 'about.risk', page: 'risk' },
  { key: 'rates', path: '/rates', label: 'nav.rates', icon: 'percent', group: 'nav.group.admin', roles: ['admin', 'finance'], about: 'about.rates', page: 'rates' },
  { key: 'reports', path: '/reports', label: 'nav.reports', icon: 'chart', group: 'nav.group.admin', page: { soon: 'soon.reports' } },
  { key: 'users', path: '/users', label: 'nav.users', icon: 'userAdmin', group: 'nav.group.admin', roles: ['admin'], about: 'about.users', page: 'users' },
  { key: 'audit', path: '/audit', label: 'nav.audit', icon: 'list', group: 'nav.group.admin', roles: ['admin', 'compliance'], about: 'about.audit', page: 'audit' },
  { key: 'jobs', path: '/jobs', label: 'nav.jobs', icon: 'jobs', group: 'nav.group.admin', roles: ['admin'], about: 'about.jobs', page: 'jobs' },
  { key: 'settings', path: '/settings', label: 'nav.settings', icon: 'settings', group: 'nav.group.account', page: 'settings' },
];

export function navFor(role: Role): NavItem[] {
  const items = role === 'importer' ? IMPORTER_NAV : STAFF_NAV;
  return items.filter((item) => !item.roles || item.roles.includes(role));
}
