/**
 * One catalogue of failures: a stable machine code, the HTTP status, and a message in
 * Indonesian and English. Routes and use cases throw `AppError(code)`; the error handler
 * turns it into `application/problem+json` carrying the code and the request id.
 */
export const errorCatalogue = {
  validation_failed: { status: 400, en: 'The request is not valid.', id: 'Permintaan tidak valid.' },
  malformed_json: { status: 400, en: 'The request body is not valid JSON.', id: 'Isi permintaan bukan JSON yang valid.' },
  unknown_field: { status: 400, en: 'The request contains a field that is not allowed.', id: 'Permintaan berisi kolom yang tidak dikenal.' },
  payload_too_large: { status: 413, en: 'The request body is too large.', id: 'Isi permintaan terlalu besar.' },
  unsupported_media_type: { status: 415, en: 'This content type is not supported.', id: 'Jenis konten ini tidak didukung.' },
  not_found: { status: 404, en: 'Not found.', id: 'Tidak ditemukan.' },
  method_not_allowed: { status: 405, en: 'Method not allowed.', id: 'Metode tidak diizinkan.' },
  unauthenticated: { status: 401, en: 'Please log in.', id: 'Silakan masuk terlebih dahulu.' },
  invalid_credentials: { status: 401, en: 'E-mail or password is wrong.', id: 'E-mail atau kata sandi salah.' },
  account_locked: { status: 423, en: 'Too many failed attempts; the account is locked for a while.', id: 'Terlalu banyak percobaan gagal; akun dikunci sementara.' },
  account_disabled: { status: 403, en: 'This account is disabled.', id: 'Akun ini dinonaktifkan.' },
  too_many_requests: { status: 429, en: 'Too many requests; please wait and try again.', id: 'Terlalu banyak permintaan; tunggu sebentar lalu coba lagi.' },
  mfa_required: { status: 403, en: 'Two-factor verification is required.', id: 'Verifikasi dua langkah diperlukan.' },
  mfa_enrolment_required: { status: 403, en: 'Staff must set up two-factor authentication first.', id: 'Staf wajib mengaktifkan autentikasi dua langkah terlebih dahulu.' },
  invalid_mfa_code: { status: 401, en: 'The verification code is wrong or already used.', id: 'Kode verifikasi salah atau sudah dipakai.' },
  mfa_already_enabled: { status: 409, en: 'Two-factor authentication is already on.', id: 'Autentikasi dua langkah sudah aktif.' },
  mfa_not_enrolled: { status: 409, en: 'Start two-factor enrolment first.', id: 'Mulai pendaftaran dua langkah terlebih dahulu.' },
  mfa_mandatory_for_staff: { status: 403, en: 'Two-factor authentication cannot be turned off for staff.', id: 'Autentikasi dua langkah tidak dapat dimatikan untuk staf.' },
  csrf_failed: { status: 403, en: 'Missing or wrong CSRF token.', id: 'Token CSRF tidak ada atau salah.' },
  forbidden: { status: 403, en: 'You are not allowed to do this.', id: 'Anda tidak memiliki izin untuk tindakan ini.' },
  insufficient_scope: { status: 403, en: 'This API key does not have the required scope.', id: 'Kunci API ini tidak memiliki cakupan yang diperlukan.' },
  invalid_api_key: { status: 401, en: 'The API key is invalid or revoked.', id: 'Kunci API tidak valid atau sudah dicabut.' },
  email_taken: { status: 409, en: 'This e-mail is already registered.', id: 'E-mail ini sudah terdaftar.' },
  weak_password: { status: 400, en: 'The password must be at least 10 characters and not a common one.', id: 'Kata sandi minimal 10 karakter dan bukan yang umum.' },
  invalid_reset_token: { status: 400, en: 'The reset link is invalid or has expired.', id: 'Tautan atur ulang tidak valid atau sudah kedaluwarsa.' },
  wrong_password: { status: 400, en: 'The current password is wrong.', id: 'Kata sandi saat ini salah.' },
  idempotency_conflict: { status: 409, en: 'This Idempotency-Key was already used with a different request.', id: 'Idempotency-Key ini sudah dipakai untuk permintaan lain.' },
  idempotency_in_progress: { status: 409, en: 'A request with this Idempotency-Key is still in progress.', id: 'Permintaan dengan Idempotency-Key ini masih diproses.' },
  insufficient_funds: { status: 422, en: 'The account does not have enough available funds.', id: 'Saldo yang tersedia tidak mencukupi.' },
  account_not_found: { status: 404, en: 'Ledger account not found.', id: 'Akun buku besar tidak ditemukan.' },
  currency_mismatch: { status: 400, en: 'The currencies do not match.', id: 'Mata uang tidak cocok.' },
  entry_not_found: { status: 404, en: 'Journal entry not found.', id: 'Jurnal tidak ditemukan.' },
  hold_already_resolved: { status: 409, en: 'This hold was already posted or voided.', id: 'Dana yang ditahan ini sudah diproses atau dibatalkan.' },
  hold_expired: { status: 409, en: 'This hold has expired.', id: 'Penahanan dana ini sudah kedaluwarsa.' },
  entry_already_reversed: { status: 409, en: 'This entry was already reversed.', id: 'Jurnal ini sudah dibalik.' },
  entry_not_reversible: { status: 409, en: 'This entry cannot be reversed.', id: 'Jurnal ini tidak dapat dibalik.' },
  ledger_busy: { status: 503, en: 'The ledger is busy; please retry.', id: 'Buku besar sedang sibuk; silakan coba lagi.' },
  rate_missing: { status: 503, en: 'No reference rate has been recorded yet; quotes are unavailable.', id: 'Kurs referensi belum tersedia; kutipan belum dapat dibuat.' },
  rate_stale: { status: 503, en: 'The reference rate is out of date; quotes are paused until it is updated.', id: 'Kurs referensi sudah kedaluwarsa; kutipan dihentikan sementara sampai kurs diperbarui.' },
  pricing_unavailable: { status: 503, en: 'Pricing is not configured for this amount.', id: 'Harga belum diatur untuk jumlah ini.' },
  budget_too_small: { status: 422, en: 'This budget does not cover the minimum fee.', id: 'Anggaran ini tidak mencukupi biaya minimum.' },
  quote_invalid: { status: 400, en: 'This quote is not valid.', id: 'Kutipan ini tidak valid.' },
  quote_expired: { status: 409, en: 'This quote has expired; please request a new one.', id: 'Kutipan ini sudah kedaluwarsa; silakan minta kutipan baru.' },
  quote_already_used: { status: 409, en: 'This quote was already used.', id: 'Kutipan ini sudah digunakan.' },
  deposit_not_open: { status: 409, en: 'This deposit is no longer open.', id: 'Setoran ini sudah tidak terbuka.' },
  no_deposit_account: { status: 503, en: 'No company bank account accepts deposits yet.', id: 'Belum ada rekening perusahaan yang menerima setoran.' },
  gateway_unavailable: { status: 502, en: 'The payment gateway is not available; please try again or pay by bank transfer.', id: 'Gateway pembayaran tidak tersedia; coba lagi atau bayar lewat transfer bank.' },
  gateway_not_configured: { status: 404, en: 'This payment gateway is not configured.', id: 'Gateway pembayaran ini belum diatur.' },
  gateway_signature_invalid: { status: 401, en: 'The callback could not be authenticated.', id: 'Callback tidak dapat diautentikasi.' },
  gateway_callback_stale: { status: 400, en: 'The callback is too old or from the future.', id: 'Callback terlalu lama atau bertanggal di masa depan.' },
  statement_rejected: { status: 422, en: 'The statement file cannot be imported.', id: 'Berkas mutasi rekening tidak dapat diimpor.' },
  line_not_in_review: { status: 409, en: 'This statement line is not waiting for a decision.', id: 'Baris mutasi ini tidak sedang menunggu keputusan.' },
  second_person_required: { status: 403, en: 'Another finance user must approve this.', id: 'Pengguna keuangan lain harus menyetujui ini.' },
  invalid_state: { status: 409, en: 'This cannot be done in the current state.', id: 'Tindakan ini tidak dapat dilakukan pada status saat ini.' },
  file_rejected: { status: 422, en: 'The file was refused (type or size).', id: 'Berkas ditolak (jenis atau ukuran).' },
  payout_already_claimed: { status: 409, en: 'Another operator already claimed this payout.', id: 'Pembayaran ini sudah diambil operator lain.' },
  risk_review_pending: { status: 409, en: 'A risk flag on this order waits for compliance.', id: 'Ada tanda risiko pada pesanan ini yang menunggu tim kepatuhan.' },
  parcel_already_received: { status: 409, en: 'This tracking number was already received at this warehouse.', id: 'Nomor resi ini sudah diterima di gudang ini.' },
  tariff_unavailable: { status: 422, en: 'No freight tariff covers this route, mode and goods category.', id: 'Tidak ada tarif kargo untuk rute, moda, dan kategori barang ini.' },
  conflict: { status: 409, en: 'The request conflicts with the current state.', id: 'Permintaan bertentangan dengan keadaan saat ini.' },
  not_ready: { status: 503, en: 'The service is not ready.', id: 'Layanan belum siap.' },
  internal_error: { status: 500, en: 'Something went wrong on our side.', id: 'Terjadi kesalahan di sisi kami.' },
} as const satisfies Record<string, { status: number; en: string; id: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
export type Language = 'id' | 'en';

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    /** Extra detail for the person reading the error (English; safe to show). */
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? errorCatalogue[code].en);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
  }
}

export function errorTitle(code: ErrorCode, lang: Language): string {
  return errorCatalogue[code][lang];
}

/** Picks Indonesian unless the client prefers English (the product's default language is Indonesian). */
export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'id';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'id';
}
