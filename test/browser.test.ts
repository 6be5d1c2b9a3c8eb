/**
 * The web UI in real Chromium (Debian's package, driven by playwright-core) against the real
 * platform: in-process, on an ephemeral port, on a fresh PGlite data directory with the demo
 * data. Real clicks and typing only; the API is never called directly.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsEnabled, PHONE, useBrowserPlatform } from './support/browser.ts';
import { systemActor } from '../src/audit/audit.ts';
import { currentTotp } from '../src/identity/totp.ts';
import { createUser } from '../src/identity/users.ts';
import { DEMO_IMPORTER, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

const runBrowserTests = browserTestsEnabled('browser.test');


describe.runIf(runBrowserTests)('web UI in Chromium', { timeout: 120_000 }, () => {
  const harness = useBrowserPlatform('jbt-browser-');
  const openPage = harness.openPage;
  const shot = harness.shot;

  async function submitLogin(page: Page, email: string, password: string, labels = { email: 'E-mail', password: 'Kata sandi', submit: 'Masuk' }) {
    await page.getByLabel(labels.email).fill(email);
    await page.getByLabel(labels.password).fill(password);
    await page.getByRole('button', { name: labels.submit, exact: true }).click();
  }

  function nav(page: Page) {
    return page.getByTestId('main-nav');
  }

  it('importer: signs in, sees the portal in Indonesian, switches to English, works on a phone, logs out', async () => {
    const { page, errors } = await openPage();
    await page.goto('/');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await expect(page.getByRole('heading', { name: 'Masuk ke Jembatan' }).isVisible()).resolves.toBe(true);
    // The language switch is on the login page.
    await expect(page.getByTestId('language-switch').isVisible()).resolves.toBe(true);

    await submitLogin(page, DEMO_IMPORTER.email, DEMO_PASSWORD);
    const portal = page.getByTestId('importer-portal');
    await portal.waitFor();
    await expect(page.getByTestId('staff-console').count()).resolves.toBe(0);
    await expect(page.getByTestId('customer-name').textContent()).resolves.toBe('CV Maju Jaya Abadi');
    await page.getByTestId('customer-card').getByText('CV Maju Jaya Abadi').waitFor();
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe(DEMO_IMPORTER.name);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Importir');
    // Indonesian labels by default.
    await nav(page).getByRole('link', { name: 'Pesanan pembayaran' }).waitFor();
    await expect(nav(page).getByRole('link', { name: 'Dompet' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: `Selamat datang, ${DEMO_IMPORTER.name}` }).isVisible()).resolves.toBe(true);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('id');
    await shot(page, 'importer-portal');

    // A module that is not built yet shows its placeholder.
    await nav(page).getByRole('link', { name: 'Kutipan' }).click();
    await page.getByTestId('coming-soon').getByText('Segera hadir').waitFor();

    // Switch to English: the labels change and the choice is saved on the account.
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/account') && r.request().method() === 'PATCH');
    await page.getByTestId('lang-en').click();
    expect((await saved).status()).toBe(200);
    await nav(page).getByRole('link', { name: 'Payment orders' }).waitFor();
    await expect(nav(page).getByRole('link', { name: 'Pesanan pembayaran' }).count()).resolves.toBe(0);
    await expect(page.getByTestId('coming-soon').getByText('Coming soon').isVisible()).resolves.toBe(true);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    // It survives a reload.
    await page.reload();
    await nav(page).getByRole('link', { name: 'Wallet' }).waitFor();

    // Phone size: the sidebar collapses into a top menu.
    await page.setViewportSize(PHONE);
    await page.goto('/');
    await portal.waitFor();
    await page.getByTestId('customer-card').waitFor();
    await expect(nav(page).isVisible()).resolves.toBe(false);
    await shot(page, 'importer-portal-phone');
    await page.getByTestId('menu-button').click();
    await nav(page).getByRole('link', { name: 'Parcels' }).waitFor({ state: 'visible' });
    await shot(page, 'importer-portal-phone-menu', false);
    await nav(page).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    // Following a link closes the menu.
    await nav(page).waitFor({ state: 'hidden' });
    await shot(page, 'importer-settings-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    await shot(page, 'importer-settings');

    await page.getByTestId('logout').click();
    await page.getByRole('heading', { name: 'Sign in to Jembatan' }).waitFor();
    await expect(portal.count()).resolves.toBe(0);
    // Signed out for real: the portal is not reachable any more.
    await page.goto('/wallet');
    await page.getByTestId('login-form').waitFor();
    expect(errors).toEqual([]);
  });

  it('staff with 2FA: password, then the authenticator code, then the console; admin-only items only for admin', async () => {
    const { page, errors } = await openPage();
    await page.goto('/login');
    await submitLogin(page, 'admin@demo.jembatan.id', DEMO_PASSWORD);
    await page.getByRole('heading', { name: 'Verifikasi dua langkah' }).waitFor();
    await expect(page.getByTestId('staff-console').count()).resolves.toBe(0);
    // The recovery-code toggle is offered, and back.
    await page.getByTestId('toggle-recovery').click();
    await page.getByLabel('Kode pemulihan').waitFor();
    await page.getByTestId('toggle-recovery').click();
    await page.getByLabel('Kode verifikasi').fill(currentTotp(DEMO_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();

    const consoleRoot = page.getByTestId('staff-console');
    await consoleRoot.waitFor();
    await expect(page.getByTestId('importer-portal').count()).resolves.toBe(0);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Admin');
    for (const label of ['Antrean pembayaran', 'Dana masuk', 'Pelanggan', 'Kurs & biaya', 'Pengguna', 'Log audit', 'Jobs', 'Pengaturan']) {
      await expect(nav(page).getByRole('link', { name: label, exact: true }).isVisible(), label).resolves.toBe(true);
    }
    await shot(page, 'staff-console');

    // Admin pages work: the users list shows the demo staff.
    await nav(page).getByRole('link', { name: 'Pengguna', exact: true }).click();
    await page.getByTestId('users-table').getByText('ops@demo.jembatan.id').waitFor();
    await shot(page, 'staff-users');
    await nav(page).getByRole('link', { name: 'Log audit', exact: true }).click();
    await page.getByTestId('audit-table').getByText('auth.mfa_passed').first().waitFor();
    await shot(page, 'staff-audit');
    await nav(page).getByRole('link', { name: 'Pelanggan', exact: true }).click();
    await page.getByTestId('customers-table').getByText('CV Maju Jaya Abadi').waitFor();
    await shot(page, 'staff-customers');
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();

    // An operations user has no admin-only items.
    const ops = await openPage();
    await ops.page.goto('/login');
    await submitLogin(ops.page, 'ops@demo.jembatan.id', DEMO_PASSWORD);
    await ops.page.getByLabel('Kode verifikasi').fill(currentTotp(DEMO_TOTP_SECRET));
    await ops.page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
    await ops.page.getByTestId('staff-console').waitFor();
    await nav(ops.page).getByRole('link', { name: 'Antrean pembayaran', exact: true }).waitFor();
    await expect(nav(ops.page).getByRole('link', { name: 'Pengguna', exact: true }).count()).resolves.toBe(0);
    await expect(nav(ops.page).getByRole('link', { name: 'Jobs', exact: true }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    expect(ops.errors).toEqual([]);
  });

  it('staff without 2FA must enrol before the console: QR and secret, code, recovery codes once, then the console', async () => {
    const email = `nadia.${Date.now().toString(36)}@example.test`;
    const password = 'correct horse battery staple';
    await harness.platform().ctx.database.db.transaction().execute((tx) => createUser(tx, systemActor, { email, password, name: 'Nadia Baru', role: 'ops' }));

    const { page, errors } = await openPage();
    await page.goto('/login');
    await submitLogin(page, email, password);
    const enrolment = page.getByTestId('enrolment');
    await enrolment.waitFor();
    await enrolment.getByRole('heading', { name: 'Aktifkan verifikasi dua langkah' }).waitFor();
    await expect(enrolment.getByRole('img', { name: 'Kode QR untuk aplikasi autentikator' }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('staff-console').count()).resolves.toBe(0);

    // The console stays closed until enrolment is done, whatever the address.
    await page.goto('/customers');
    await enrolment.waitFor();
    await expect(page.getByTestId('staff-console').count()).resolves.toBe(0);
    expect(new URL(page.url()).pathname).toBe('/login');

    // Play the authenticator app: read the secret off the screen.
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel('Kode verifikasi').fill(currentTotp(secret));
    await shot(page, 'staff-enrolment');
    await page.getByRole('button', { name: 'Aktifkan', exact: true }).click();

    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    await expect(codes.count()).resolves.toBe(10);
    await expect(page.getByTestId('staff-console').count()).resolves.toBe(0);
    await shot(page, 'staff-recovery-codes');
    await page.getByRole('button', { name: 'Saya sudah menyimpannya' }).click();

    await page.getByTestId('staff-console').waitFor();
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Nadia Baru');
    await expect(nav(page).getByRole('link', { name: 'Pengguna', exact: true }).count()).resolves.toBe(0);
    // Settings shows 2FA on, and that staff cannot turn it off.
    await nav(page).getByRole('link', { name: 'Pengaturan', exact: true }).click();
    const twoFactor = page.getByTestId('two-factor');
    await twoFactor.getByText('Aktif', { exact: true }).waitFor();
    await twoFactor.getByText('Kode pemulihan tersisa: 10').waitFor();
    await expect(twoFactor.getByText(/tidak dapat dimatikan/).isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('a new importer registers, turns on 2FA in settings, and creates and revokes an API key', async () => {
    const { page, errors } = await openPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Daftar' }).click();
    await page.getByRole('heading', { name: 'Daftar sebagai importir' }).waitFor();
    await page.getByLabel('Nama perusahaan').fill('PT Sumber Rejeki');
    await page.getByLabel('Nama Anda (kontak)').fill('Dewi Lestari');
    await page.getByLabel('E-mail').fill(`dewi.${Date.now().toString(36)}@example.test`);
    await page.getByLabel('Kata sandi').fill('sumber rejeki 2026');
    await page.getByRole('button', { name: 'Buat akun' }).click();
    await page.getByTestId('importer-portal').waitFor();
    await expect(page.getByTestId('customer-name').textContent()).resolves.toBe('PT Sumber Rejeki');

    // 2FA from the settings page; every write after activation needs the new CSRF token.
    await nav(page).getByRole('link', { name: 'Pengaturan', exact: true }).click();
    const twoFactor = page.getByTestId('two-factor');
    await twoFactor.getByRole('button', { name: 'Aktifkan verifikasi dua langkah' }).click();
    const secret = ((await twoFactor.getByTestId('totp-secret').textContent()) ?? '').trim();
    await twoFactor.getByLabel('Kode verifikasi').fill(currentTotp(secret));
    await twoFactor.getByRole('button', { name: 'Aktifkan', exact: true }).click();
    await twoFactor.getByTestId('recovery-codes').locator('li').first().waitFor();
    await expect(twoFactor.getByTestId('recovery-codes').locator('li').count()).resolves.toBe(10);
    await twoFactor.getByRole('button', { name: 'Saya sudah menyimpannya' }).click();
    await twoFactor.getByText('Kode pemulihan tersisa: 10').waitFor();
    // New recovery codes need a fresh code: the next time step (the current one is used up).
    await twoFactor.getByRole('button', { name: 'Buat kode pemulihan baru' }).click();
    await twoFactor.getByLabel('Kode verifikasi').fill(currentTotp(secret, Date.now() + 30_000));
    await twoFactor.getByRole('button', { name: 'Buat kode pemulihan baru' }).click();
    await twoFactor.getByTestId('recovery-codes').locator('li').first().waitFor();
    await expect(twoFactor.getByTestId('recovery-codes').locator('li').count()).resolves.toBe(10);
    await twoFactor.getByRole('button', { name: 'Saya sudah menyimpannya' }).click();

    const keys = page.getByTestId('api-keys');
    await keys.getByLabel('Nama kunci').fill('ERP gudang');
    await keys.getByRole('checkbox', { name: /payments:read/ }).check();
    await keys.getByRole('button', { name: 'Buat kunci API' }).click();
    const shown = ((await keys.getByTestId('api-key-value').textContent()) ?? '').trim();
    expect(shown).toMatch(/^jbt_/);
    await shot(page, 'importer-api-key-created');
    await keys.getByRole('button', { name: 'Sudah saya salin' }).click();
    await expect(keys.getByTestId('api-key-value').count()).resolves.toBe(0);
    const row = keys.getByRole('row').filter({ hasText: 'ERP gudang' });
    await row.getByText('payments:read').waitFor();
    await row.getByRole('button', { name: 'Cabut' }).click();
    await row.getByRole('button', { name: 'Yakin?' }).click();
    await row.getByText('Dicabut').waitFor();
    expect(errors).toEqual([]);
  });

  it('a wrong password shows the localised error and signs nobody in', async () => {
    const { page, errors } = await openPage();
    await page.goto('/login');
    await submitLogin(page, 'siti@demo.jembatan.id', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.getByText('E-mail atau kata sandi salah.').waitFor();
    await expect(page.getByTestId('importer-portal').count()).resolves.toBe(0);
    await shot(page, 'login-wrong-password');

    await page.getByTestId('lang-en').click();
    await page.getByRole('heading', { name: 'Sign in to Jembatan' }).waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await alert.getByText('E-mail or password is wrong.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(errors).toEqual([]);
  });
});
