import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** The UI languages. Bahasa Indonesia is the default. */
export type Lang = 'id' | 'en';
export const LANGS: readonly Lang[] = ['id', 'en'];

type Entry = { id: string; en: string };

/**
 * Every string the UI shows, by key. Placeholders are written `{name}` and filled by `t`.
 * Server error messages are not here: the API localises `title` itself (Accept-Language,
 * or the signed-in user's language).
 */
const dict = {
  // ---- general -------------------------------------------------------------------------
  'app.name': { id: 'Jembatan', en: 'Jembatan' },
  'app.tagline': { id: 'Jasa pembayaran 1688 — bayar pemasok di Tiongkok dengan rupiah.', en: '1688 payment agent — pay suppliers in China with rupiah.' },
  'common.loading': { id: 'Memuat…', en: 'Loading…' },
  'common.save': { id: 'Simpan', en: 'Save' },
  'common.saved': { id: 'Tersimpan.', en: 'Saved.' },
  'common.cancel': { id: 'Batal', en: 'Cancel' },
  'common.continue': { id: 'Lanjut', en: 'Continue' },
  'common.back': { id: 'Kembali', en: 'Back' },
  'common.search': { id: 'Cari', en: 'Search' },
  'common.filter': { id: 'Saring', en: 'Filter' },
  'common.reset': { id: 'Atur ulang', en: 'Reset' },
  'common.loadMore': { id: 'Muat lebih banyak', en: 'Load more' },
  'common.refresh': { id: 'Muat ulang', en: 'Refresh' },
  'common.none': { id: '—', en: '—' },
  'common.yes': { id: 'Ya', en: 'Yes' },
  'common.no': { id: 'Tidak', en: 'No' },
  'common.all': { id: 'Semua', en: 'All' },
  'common.copy': { id: 'Salin', en: 'Copy' },
  'common.copied': { id: 'Tersalin', en: 'Copied' },
  'common.requestId': { id: 'ID permintaan', en: 'Request ID' },
  'common.empty': { id: 'Belum ada data.', en: 'Nothing here yet.' },
  'common.email': { id: 'E-mail', en: 'E-mail' },
  'common.password': { id: 'Kata sandi', en: 'Password' },
  'common.name': { id: 'Nama', en: 'Name' },
  'common.role': { id: 'Peran', en: 'Role' },
  'common.status': { id: 'Status', en: 'Status' },
  'common.phone': { id: 'Telepon', en: 'Phone' },
  'common.createdAt': { id: 'Dibuat', en: 'Created' },
  'common.language': { id: 'Bahasa', en: 'Language' },
  'common.actions': { id: 'Tindakan', en: 'Actions' },
  'common.details': { id: 'Rincian', en: 'Details' },
  'common.optional': { id: 'opsional', en: 'optional' },
  'common.confirm': { id: 'Yakin?', en: 'Sure?' },
  'error.network': { id: 'Tidak dapat menghubungi server. Periksa koneksi lalu coba lagi.', en: 'Cannot reach the server. Check the connection and try again.' },
  'error.unexpected': { id: 'Terjadi kesalahan yang tidak terduga.', en: 'Something unexpected went wrong.' },
  'error.notFound': { id: 'Halaman tidak ditemukan.', en: 'Page not found.' },
  'error.notFoundHint': { id: 'Alamat ini tidak ada atau Anda tidak memiliki akses.', en: 'This address does not exist or you have no access to it.' },
  'error.goHome': { id: 'Ke dasbor', en: 'Go to the dashboard' },

  // ---- language ------------------------------------------------------------------------
  'lang.id': { id: 'Bahasa Indonesia', en: 'Bahasa Indonesia' },
  'lang.en': { id: 'English', en: 'English' },
  'lang.switch': { id: 'Pilih bahasa', en: 'Choose language' },

  // ---- roles -----------------------------------------------------------------------------
  'role.importer': { id: 'Importir', en: 'Importer' },
  'role.ops': { id: 'Operasional', en: 'Operations' },
  'role.finance': { id: 'Keuangan', en: 'Finance' },
  'role.compliance': { id: 'Kepatuhan', en: 'Compliance' },
  'role.warehouse': { id: 'Gudang', en: 'Warehouse' },
  'role.admin': { id: 'Admin', en: 'Admin' },
  'status.active': { id: 'Aktif', en: 'Active' },
  'status.disabled': { id: 'Nonaktif', en: 'Disabled' },
  'status.suspended': { id: 'Ditangguhkan', en: 'Suspended' },
  'status.locked': { id: 'Terkunci', en: 'Locked' },
  'kind.company': { id: 'Badan usaha', en: 'Company' },
  'kind.person': { id: 'Perorangan', en: 'Individual' },

  // ---- auth -------------------------------------------------------------------------------
  'login.title': { id: 'Masuk ke Jembatan', en: 'Sign in to Jembatan' },
  'login.subtitle': { id: 'Gunakan e-mail dan kata sandi akun Anda.', en: 'Use the e-mail and password of your account.' },
  'login.submit': { id: 'Masuk', en: 'Sign in' },
  'login.noAccount': { id: 'Belum punya akun?', en: 'No account yet?' },
  'login.register': { id: 'Daftar', en: 'Register' },
  'login.forgot': { id: 'Lupa kata sandi?', en: 'Forgot password?' },
  'login.side.title': { id: 'Bayar pemasok 1688 dalam hitungan menit', en: 'Pay 1688 suppliers within minutes' },
  'login.side.point1': { id: 'Kurs dan biaya ditampilkan lengkap sebelum Anda membayar.', en: 'Rate and fees are shown in full before you pay.' },
  'login.side.point2': { id: 'Bukti pembayaran dwibahasa untuk pemasok Anda.', en: 'Bilingual payment proof for your supplier.' },
  'login.side.point3': { id: 'Lacak paket di gudang Tiongkok hingga tiba di Indonesia.', en: 'Track parcels from the China warehouse to Indonesia.' },
  'mfa.title': { id: 'Verifikasi dua langkah', en: 'Two-step verification' },
  'mfa.subtitle': { id: 'Masukkan kode 6 digit dari aplikasi autentikator Anda.', en: 'Enter the 6-digit code from your authenticator app.' },
  'mfa.subtitleRecovery': { id: 'Masukkan salah satu kode pemulihan Anda. Setiap kode hanya berlaku sekali.', en: 'Enter one of your recovery codes. Each code works only once.' },
  'mfa.code': { id: 'Kode verifikasi', en: 'Verification code' },
  'mfa.recoveryCode': { id: 'Kode pemulihan', en: 'Recovery code' },
  'mfa.useRecovery': { id: 'Pakai kode pemulihan', en: 'Use a recovery code' },
  'mfa.useCode': { id: 'Pakai kode dari aplikasi', en: 'Use a code from the app' },
  'mfa.verify': { id: 'Verifikasi', en: 'Verify' },
  'mfa.otherAccount': { id: 'Masuk dengan akun lain', en: 'Sign in with another account' },
  'enrol.title': { id: 'Aktifkan verifikasi dua langkah', en: 'Set up two-step verification' },
  'enrol.required': { id: 'Akun staf wajib memakai verifikasi dua langkah sebelum dapat membuka konsol.', en: 'Staff accounts must use two-step verification before they can open the console.' },
  'enrol.step1': { id: 'Pindai kode QR ini dengan aplikasi autentikator (Google Authenticator, Authy, 1Password, dll.).', en: 'Scan this QR code with an authenticator app (Google Authenticator, Authy, 1Password, etc.).' },
  'enrol.secretHint': { id: 'Tidak bisa memindai? Masukkan kunci ini secara manual:', en: 'Cannot scan? Enter this key manually:' },
  'enrol.step2': { id: 'Masukkan kode 6 digit yang muncul di aplikasi.', en: 'Enter the 6-digit code the app shows.' },
  'enrol.activate': { id: 'Aktifkan', en: 'Activate' },
  'enrol.qrAlt': { id: 'Kode QR untuk aplikasi autentikator', en: 'QR code for the authenticator app' },
  'recovery.title': { id: 'Simpan kode pemulihan Anda', en: 'Save your recovery codes' },
  'recovery.warning': { id: 'Kode ini hanya ditampilkan sekali. Simpan di tempat aman: setiap kode dapat dipakai satu kali untuk masuk jika ponsel Anda hilang.', en: 'These codes are shown only once. Keep them somewhere safe: each one can be used once to sign in if you lose your phone.' },
  'recovery.saved': { id: 'Saya sudah menyimpannya', en: 'I saved them' },
  'recovery.copyAll': { id: 'Salin semua', en: 'Copy all' },
  'register.title': { id: 'Daftar sebagai importir', en: 'Register as an importer' },
  'register.subtitle': { id: 'Buat akun pelanggan untuk usaha Anda. Verifikasi KYC dilakukan setelahnya.', en: 'Create a customer account for your business. KYC verification comes next.' },
  'register.contact': { id: 'Nama Anda (kontak)', en: 'Your name (contact person)' },
  'register.kind': { id: 'Jenis pelanggan', en: 'Customer type' },
  'register.customerName.company': { id: 'Nama perusahaan', en: 'Company name' },
  'register.customerName.person': { id: 'Nama lengkap sesuai KTP', en: 'Full name as on ID card' },
  'register.phoneHint': { id: 'Contoh: +62 812 3456 7890', en: 'For example +62 812 3456 7890' },
  'register.passwordHint': { id: 'Minimal 10 karakter, bukan kata sandi umum.', en: 'At least 10 characters, not a common password.' },
  'register.submit': { id: 'Buat akun', en: 'Create account' },
  'register.haveAccount': { id: 'Sudah punya akun?', en: 'Already have an account?' },
  'forgot.title': { id: 'Lupa kata sandi', en: 'Forgot password' },
  'forgot.subtitle': { id: 'Masukkan e-mail akun Anda. Kami akan mengirim tautan untuk mengatur ulang kata sandi.', en: 'Enter your account e-mail. We will send a link to reset your password.' },
  'forgot.submit': { id: 'Kirim tautan', en: 'Send link' },
  'forgot.sent': { id: 'Jika e-mail tersebut terdaftar, kami telah mengirim tautan untuk mengatur ulang kata sandi. Periksa kotak masuk Anda.', en: 'If the e-mail exists, we sent a link to reset the password. Check your inbox.' },
  'forgot.backToLogin': { id: 'Kembali ke halaman masuk', en: 'Back to sign in' },
  'reset.title': { id: 'Atur kata sandi baru', en: 'Set a new password' },
  'reset.subtitle': { id: 'Pilih kata sandi baru untuk akun Anda.', en: 'Choose a new password for your account.' },
  'reset.newLink': { id: 'Minta tautan baru', en: 'Ask for a new link' },
  'reset.newPassword': { id: 'Kata sandi baru', en: 'New password' },
  'reset.repeat': { id: 'Ulangi kata sandi baru', en: 'Repeat the new password' },
  'reset.mismatch': { id: 'Kedua kata sandi tidak sama.', en: 'The two passwords differ.' },
  'reset.submit': { id: 'Simpan kata sandi', en: 'Save password' },
  'reset.done': { id: 'Kata sandi sudah diganti. Silakan masuk dengan kata sandi baru.', en: 'Your password was changed. Please sign in with the new one.' },
  'reset.noToken': { id: 'Tautan ini tidak lengkap. Minta tautan baru.', en: 'This link is incomplete. Ask for a new one.' },

  // ---- shell ------------------------------------------------------------------------------
  'shell.logout': { id: 'Keluar', en: 'Log out' },
  'shell.menu': { id: 'Menu', en: 'Menu' },
  'shell.portal': { id: 'Portal importir', en: 'Importer portal' },
  'shell.console': { id: 'Konsol staf', en: 'Staff console' },
  'nav.dashboard': { id: 'Dasbor', en: 'Dashboard' },
  'nav.quotes': { id: 'Kutipan', en: 'Quotes' },
  'nav.paymentOrders': { id: 'Pesanan pembayaran', en: 'Payment orders' },
  'nav.wallet': { id: 'Dompet', en: 'Wallet' },
  'nav.parcels': { id: 'Paket', en: 'Parcels' },
  'nav.shipments': { id: 'Pengiriman', en: 'Shipments' },
  'nav.settings': { id: 'Pengaturan', en: 'Settings' },
  'nav.payouts': { id: 'Antrean pembayaran', en: 'Payout queue' },
  'nav.funding': { id: 'Dana masuk', en: 'Funding' },
  'nav.customers': { id: 'Pelanggan', en: 'Customers' },
  'nav.kyc': { id: 'KYC', en: 'KYC' },
  'nav.risk': { id: 'Risiko', en: 'Risk' },
  'nav.warehouse': { id: 'Gudang', en: 'Warehouse' },
  'nav.rates': { id: 'Kurs & biaya', en: 'Rates & fees' },
  'nav.reports': { id: 'Laporan', en: 'Reports' },
  'nav.users': { id: 'Pengguna', en: 'Users' },
  'nav.audit': { id: 'Log audit', en: 'Audit log' },
  'nav.jobs': { id: 'Jobs', en: 'Jobs' },
  'nav.group.money': { id: 'Uang', en: 'Money' },
  'nav.group.logistics': { id: 'Logistik', en: 'Logistics' },
  'nav.group.operations': { id: 'Operasional', en: 'Operations' },
  'nav.group.customers': { id: 'Pelanggan', en: 'Customers' },
  'nav.group.admin': { id: 'Administrasi', en: 'Administration' },
  'nav.group.account': { id: 'Akun', en: 'Account' },
  'soon.title': { id: 'Segera hadir', en: 'Coming soon' },
  'soon.body': { id: 'Modul ini sedang disiapkan dan akan tersedia di versi berikutnya.', en: 'This module is being built and will arrive in a coming release.' },
  'soon.quotes': { id: 'Minta kutipan rupiah untuk invoice pemasok dalam yuan, lengkap dengan kurs, selisih kurs, dan biaya.', en: 'Ask for a rupiah quote for a supplier invoice in yuan, with the rate, spread and fee shown.' },
  'soon.paymentOrders': { id: 'Bayar pemasok 1688 melalui Alipay, WeChat Pay, atau rekening bank Tiongkok, dan unduh bukti pembayaran.', en: 'Pay 1688 suppliers through Alipay, WeChat Pay or a Chinese bank account, and download the proof.' },
  'soon.wallet': { id: 'Saldo rupiah Anda, setoran, dan mutasi.', en: 'Your rupiah balance, deposits and statement.' },
  'soon.parcels': { id: 'Paket yang diterima di gudang Tiongkok: berat, ukuran, dan foto.', en: 'Parcels received at the China warehouse: weight, size and photos.' },
  'soon.shipments': { id: 'Konsolidasi dan pengiriman ke Indonesia, dengan perkiraan biaya sampai.', en: 'Consolidation and shipping to Indonesia, with the landed cost.' },
  'soon.payouts': { id: 'Pesanan yang sudah didanai, dengan jam SLA, klaim, bukti, dan persetujuan maker-checker.', en: 'Funded orders with an SLA clock, claiming, proof upload and maker-checker approval.' },
  'soon.funding': { id: 'Impor mutasi bank, pencocokan otomatis, dan setoran yang belum cocok.', en: 'Bank statement import, auto-matching and unmatched deposits.' },
  'soon.kyc': { id: 'Tinjauan dokumen KYC pelanggan.', en: 'Review of customer KYC documents.' },
  'soon.risk': { id: 'Pemeriksaan penerima, batas, dan tanda risiko.', en: 'Payee checks, limits and risk flags.' },
  'soon.warehouse': { id: 'Penerimaan paket berdasarkan kode marking, penimbangan, foto, dan konsolidasi.', en: 'Receiving parcels by marking code, weighing, photos and consolidation.' },
  'soon.rates': { id: 'Kurs referensi, selisih kurs, tingkatan biaya, dan tarif kargo.', en: 'Reference rates, spreads, fee tiers and freight tariffs.' },
  'about.customers': { id: 'Cari akun pelanggan dan lihat penggunanya.', en: 'Find customer accounts and see their users.' },
  'about.users': { id: 'Tambah staf, ubah peran, nonaktifkan, atau buka kunci akun.', en: 'Add staff, change roles, disable or unlock accounts.' },
  'about.audit': { id: 'Siapa melakukan apa, kapan, dan dari mana.', en: 'Who did what, when and from where.' },
  'about.jobs': { id: 'Pekerjaan latar belakang dan job yang gagal.', en: 'Background work and failed jobs.' },
  'soon.reports': { id: 'Rekonsiliasi, posisi float yuan, dan laporan regulasi.', en: 'Reconciliation, yuan float position and regulatory reports.' },

  // ---- dashboards -----------------------------------------------------------------------
  'dash.welcome': { id: 'Selamat datang, {name}', en: 'Welcome, {name}' },
  'dash.importerIntro': { id: 'Dari sini Anda akan meminta kutipan, membayar pemasok, dan melacak paket.', en: 'From here you will ask for quotes, pay suppliers and track parcels.' },
  'dash.staffIntro': { id: 'Anda masuk sebagai {role}. Modul yang tersedia untuk peran Anda:', en: 'You are signed in as {role}. Modules available to your role:' },
  'dash.account': { id: 'Akun pelanggan', en: 'Customer account' },
  'dash.accountId': { id: 'ID akun', en: 'Account ID' },
  'dash.kind': { id: 'Jenis', en: 'Type' },
  'dash.members': { id: 'Pengguna akun ini', en: 'Users of this account' },
  'dash.nextSteps': { id: 'Langkah berikutnya', en: 'Next steps' },
  'dash.step.kyc': { id: 'Lengkapi verifikasi KYC', en: 'Complete KYC verification' },
  'dash.step.kycBody': { id: 'Diperlukan sebelum pembayaran pertama Anda.', en: 'Needed before your first payment.' },
  'dash.step.quote': { id: 'Minta kutipan pertama', en: 'Ask for your first quote' },
  'dash.step.quoteBody': { id: 'Masukkan jumlah invoice dalam yuan dan lihat totalnya dalam rupiah.', en: 'Enter the invoice amount in yuan and see the rupiah total.' },
  'dash.step.2fa': { id: 'Aktifkan verifikasi dua langkah', en: 'Turn on two-step verification' },
  'dash.step.2faBody': { id: 'Lindungi akun Anda dengan kode dari ponsel.', en: 'Protect your account with a code from your phone.' },
  'dash.step.2faDone': { id: 'Verifikasi dua langkah sudah aktif.', en: 'Two-step verification is on.' },
  'dash.lowRecovery': { id: 'Kode pemulihan Anda tinggal {n}. Buat kode baru di Pengaturan.', en: 'You have {n} recovery codes left. Create new ones in Settings.' },
  'dash.noRecovery': { id: 'Anda tidak memiliki kode pemulihan. Buat kode baru di Pengaturan agar tetap bisa masuk jika ponsel Anda hilang.', en: 'You have no recovery codes. Create new ones in Settings so you can still sign in if you lose your phone.' },
  'dash.soonBadge': { id: 'segera', en: 'soon' },
  'dash.deadJobs': { id: '{n} job gagal permanen menunggu tindakan.', en: '{n} dead job(s) waiting for action.' },
  'dash.openModule': { id: 'Buka', en: 'Open' },

  // ---- staff: customers -------------------------------------------------------------------
  'customers.title': { id: 'Pelanggan', en: 'Customers' },
  'customers.subtitle': { id: 'Semua akun pelanggan, terbaru di atas.', en: 'All customer accounts, newest first.' },
  'customers.searchPlaceholder': { id: 'Cari nama pelanggan…', en: 'Search customer name…' },
  'customers.none': { id: 'Tidak ada pelanggan yang cocok.', en: 'No matching customers.' },
  'customers.users': { id: 'Pengguna', en: 'Users' },

  // ---- staff: users -------------------------------------------------------------------------
  'users.title': { id: 'Pengguna', en: 'Users' },
  'users.subtitle': { id: 'Akun staf dan importir. Staf baru wajib mengaktifkan verifikasi dua langkah saat pertama masuk.', en: 'Staff and importer accounts. New staff must set up two-step verification at first sign-in.' },
  'users.create': { id: 'Tambah pengguna staf', en: 'Add a staff user' },
  'users.created': { id: 'Pengguna {email} dibuat.', en: 'User {email} created.' },
  'users.initialPassword': { id: 'Kata sandi awal', en: 'Initial password' },
  'users.disable': { id: 'Nonaktifkan', en: 'Disable' },
  'users.enable': { id: 'Aktifkan', en: 'Enable' },
  'users.unlock': { id: 'Buka kunci', en: 'Unlock' },
  'users.lockedUntil': { id: 'Terkunci s.d. {time}', en: 'Locked until {time}' },
  'users.twoFactor': { id: '2FA', en: '2FA' },
  'users.filterRole': { id: 'Peran', en: 'Role' },
  'users.you': { id: 'Anda', en: 'You' },
  'users.roleChanged': { id: 'Peran diubah.', en: 'Role changed.' },

  // ---- staff: audit -----------------------------------------------------------------------
  'audit.title': { id: 'Log audit', en: 'Audit log' },
  'audit.subtitle': { id: 'Catatan permanen dari setiap tindakan penting, terbaru di atas.', en: 'A permanent record of every important action, newest first.' },
  'audit.time': { id: 'Waktu', en: 'Time' },
  'audit.actor': { id: 'Pelaku', en: 'Actor' },
  'audit.action': { id: 'Tindakan', en: 'Action' },
  'audit.object': { id: 'Objek', en: 'Object' },
  'audit.objectType': { id: 'Jenis objek', en: 'Object type' },
  'audit.objectId': { id: 'ID objek', en: 'Object ID' },
  'audit.actorId': { id: 'ID pelaku', en: 'Actor ID' },
  'audit.ip': { id: 'IP', en: 'IP' },
  'audit.data': { id: 'Data', en: 'Data' },
  'audit.none': { id: 'Tidak ada entri yang cocok.', en: 'No matching entries.' },

  // ---- staff: jobs --------------------------------------------------------------------------
  'jobs.title': { id: 'Jobs', en: 'Jobs' },
  'jobs.subtitle': { id: 'Pekerjaan latar belakang: e-mail, kedaluwarsa, pengingat. Job yang gagal permanen dapat dicoba ulang.', en: 'Background work: e-mail, expiries, reminders. Dead jobs can be retried.' },
  'jobs.name': { id: 'Nama', en: 'Name' },
  'jobs.attempts': { id: 'Percobaan', en: 'Attempts' },
  'jobs.runAt': { id: 'Dijalankan', en: 'Run at' },
  'jobs.lastError': { id: 'Galat terakhir', en: 'Last error' },
  'jobs.retry': { id: 'Coba ulang', en: 'Retry' },
  'jobs.retried': { id: 'Job dimasukkan kembali ke antrean.', en: 'The job is back in the queue.' },
  'jobs.status.pending': { id: 'Menunggu', en: 'Pending' },
  'jobs.status.running': { id: 'Berjalan', en: 'Running' },
  'jobs.status.done': { id: 'Selesai', en: 'Done' },
  'jobs.status.dead': { id: 'Gagal permanen', en: 'Dead' },
  'jobs.none': { id: 'Tidak ada job.', en: 'No jobs.' },

  // ---- settings -----------------------------------------------------------------------------
  'settings.title': { id: 'Pengaturan', en: 'Settings' },
  'settings.subtitle': { id: 'Profil, keamanan, dan akses akun Anda.', en: 'Your profile, security and account access.' },
  'settings.profile': { id: 'Profil', en: 'Profile' },
  'settings.profileSaved': { id: 'Profil disimpan.', en: 'Profile saved.' },
  'settings.password': { id: 'Ganti kata sandi', en: 'Change password' },
  'settings.currentPassword': { id: 'Kata sandi saat ini', en: 'Current password' },
  'settings.newPassword': { id: 'Kata sandi baru', en: 'New password' },
  'settings.passwordChanged': { id: 'Kata sandi diganti. Sesi di perangkat lain telah diakhiri.', en: 'Password changed. Sessions on other devices were ended.' },
  'settings.passwordChange': { id: 'Ganti kata sandi', en: 'Change password' },
  'settings.2fa': { id: 'Verifikasi dua langkah', en: 'Two-step verification' },
  'settings.2faOn': { id: 'Aktif', en: 'On' },
  'settings.2faOff': { id: 'Tidak aktif', en: 'Off' },
  'settings.2faOnBody': { id: 'Saat masuk, Anda akan diminta kode dari aplikasi autentikator.', en: 'When signing in, you are asked for a code from your authenticator app.' },
  'settings.2faOffBody': { id: 'Tambahkan lapisan keamanan: selain kata sandi, diperlukan kode dari ponsel Anda.', en: 'Add a layer of security: besides the password, a code from your phone is needed.' },
  'settings.2faEnable': { id: 'Aktifkan verifikasi dua langkah', en: 'Turn on two-step verification' },
  'settings.2faDisable': { id: 'Matikan verifikasi dua langkah', en: 'Turn off two-step verification' },
  'settings.2faDisabled': { id: 'Verifikasi dua langkah dimatikan.', en: 'Two-step verification turned off.' },
  'settings.2faEnabled': { id: 'Verifikasi dua langkah aktif.', en: 'Two-step verification is on.' },
  'settings.2faStaff': { id: 'Untuk akun staf, verifikasi dua langkah wajib dan tidak dapat dimatikan: akun staf dapat memindahkan uang pelanggan.', en: 'For staff accounts two-step verification is mandatory and cannot be turned off: staff accounts can move customer money.' },
  'settings.recoveryLeft': { id: 'Kode pemulihan tersisa: {n}', en: 'Recovery codes left: {n}' },
  'settings.recoveryRegenerate': { id: 'Buat kode pemulihan baru', en: 'Create new recovery codes' },
  'settings.recoveryRegenerateBody': { id: 'Kode lama tidak berlaku lagi. Masukkan kode dari aplikasi untuk melanjutkan.', en: 'The old codes stop working. Enter a code from the app to continue.' },
  'settings.sessions': { id: 'Sesi aktif', en: 'Active sessions' },
  'settings.sessionsBody': { id: 'Perangkat yang sedang masuk ke akun Anda.', en: 'Devices currently signed in to your account.' },
  'settings.sessionDevice': { id: 'Perangkat', en: 'Device' },
  'settings.sessionLastSeen': { id: 'Terakhir aktif', en: 'Last seen' },
  'settings.sessionExpires': { id: 'Berakhir', en: 'Expires' },
  'settings.sessionCurrent': { id: 'Sesi ini', en: 'This session' },
  'settings.logoutAll': { id: 'Keluar dari semua perangkat', en: 'Log out everywhere' },
  'settings.logoutAllBody': { id: 'Mengakhiri semua sesi, termasuk yang ini.', en: 'Ends every session, this one included.' },
  'settings.apiKeys': { id: 'Kunci API', en: 'API keys' },
  'settings.apiKeysBody': { id: 'Untuk menghubungkan ERP atau sistem Anda dengan Jembatan. Berikan hanya cakupan yang diperlukan.', en: 'To connect your ERP or systems to Jembatan. Grant only the scopes needed.' },
  'settings.apiKeyName': { id: 'Nama kunci', en: 'Key name' },
  'settings.apiKeyNamePlaceholder': { id: 'mis. ERP gudang', en: 'e.g. Warehouse ERP' },
  'settings.apiKeyScopes': { id: 'Cakupan', en: 'Scopes' },
  'settings.apiKeyCreate': { id: 'Buat kunci API', en: 'Create API key' },
  'settings.apiKeyCreated': { id: 'Kunci API dibuat', en: 'API key created' },
  'settings.apiKeyOnce': { id: 'Salin kunci ini sekarang. Kunci ini tidak akan ditampilkan lagi; jika hilang, cabut dan buat yang baru.', en: 'Copy this key now. It will not be shown again; if it is lost, revoke it and create a new one.' },
  'settings.apiKeyDone': { id: 'Sudah saya salin', en: 'I copied it' },
  'settings.apiKeyRevoke': { id: 'Cabut', en: 'Revoke' },
  'settings.apiKeyRevoked': { id: 'Dicabut', en: 'Revoked' },
  'settings.apiKeyLastUsed': { id: 'Terakhir dipakai', en: 'Last used' },
  'settings.apiKeyNever': { id: 'Belum pernah', en: 'Never' },
  'settings.apiKeyPrefix': { id: 'Awalan', en: 'Prefix' },
  'settings.apiKeyNone': { id: 'Belum ada kunci API.', en: 'No API keys yet.' },
  'settings.apiKeyNeedScope': { id: 'Pilih minimal satu cakupan.', en: 'Choose at least one scope.' },
  'scope.account:read': { id: 'Baca data akun', en: 'Read account details' },
  'scope.payments:read': { id: 'Baca pembayaran', en: 'Read payments' },
  'scope.payments:write': { id: 'Buat pembayaran', en: 'Create payments' },
  'scope.wallet:read': { id: 'Baca dompet', en: 'Read wallet' },
  'scope.parcels:read': { id: 'Baca paket', en: 'Read parcels' },
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof dict;
export type Params = Record<string, string | number>;

export function isLang(v: unknown): v is Lang {
  return v === 'id' || v === 'en';
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text: string = dict[key][lang];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Locale for Intl formatting of dates and numbers. */
export function intlLocale(lang: Lang): string {
  return lang === 'id' ? 'id-ID' : 'en-GB';
}

const STORAGE_KEY = 'jembatan.lang';

function storedLang(): Lang {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    if (isLang(v)) return v;
  } catch {
    // Storage may be unavailable (private mode); the default applies.
  }
  return 'id';
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Params): string;
  formatDateTime(iso: string | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

/** Holds the UI language; persisted in localStorage and mirrored on `<html lang>`. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);

  useEffect(() => {
    document.documentElement.lang = lang;
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  }, [lang]);

  const setLang = useCallback((next: Lang) => setLangState(next), []);
  const value = useMemo<I18n>(() => {
    const dateFormat = new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      formatDateTime: (iso) => {
        if (!iso) return translate(lang, 'common.none');
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
      },
    };
  }, [lang, setLang]);

  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
