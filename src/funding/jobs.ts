import type { Kysely } from 'kysely';
import { systemActor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { JobRegistry } from '../jobs/worker.ts';
import { formatMoney } from '../money/format.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { SEND_MAIL_JOB, type Mailer } from '../notify/mailer.ts';
import { notifyInApp } from '../notify/in-app.ts';
import { DEPOSIT_CREDITED_JOB, EXPIRE_DEPOSITS_JOB, expireDeposits } from './deposits.ts';
import { WITHDRAWAL_UPDATED_JOB } from './withdrawals.ts';

async function customerRecipients(db: Kysely<DB>, customerId: string) {
  return db.selectFrom('users').select(['email', 'locale']).where('customer_id', '=', customerId).where('status', '=', 'active').execute();
}

type CreditState = 'paid' | 'partial' | 'late';

const depositMail = {
  id: (id: string, amount: string, state: CreditState, outstanding: string) => ({
    subject: state === 'paid' ? `Dana diterima: setoran ${id} lunas` : `Dana diterima untuk setoran ${id}`,
    text: `Transfer Anda sebesar ${amount} sudah kami terima dan dikreditkan ke dompet Jembatan Anda. ${
      state === 'paid' ? `Setoran ${id} lunas.` : state === 'late' ? `Setoran ${id} sudah lewat batas waktu; dananya tetap aman di dompet Anda.` : `Sisa yang belum dibayar: ${outstanding}.`
    }`,
  }),
  en: (id: string, amount: string, state: CreditState, outstanding: string) => ({
    subject: state === 'paid' ? `Funds received: deposit ${id} is paid` : `Funds received for deposit ${id}`,
    text: `We received your transfer of ${amount} and credited it to your Jembatan wallet. ${
      state === 'paid' ? `Deposit ${id} is fully paid.` : state === 'late' ? `Deposit ${id} had already expired; the money is safe in your wallet.` : `Still outstanding: ${outstanding}.`
    }`,
  }),
};

const withdrawalMail = {
  id: { approved: 'disetujui', paid: 'sudah ditransfer', rejected: 'ditolak', cancelled: 'dibatalkan', requested: 'diajukan' },
  en: { approved: 'approved', paid: 'paid out', rejected: 'rejected', cancelled: 'cancelled', requested: 'requested' },
} as const;

/** Deposit expiry, and the e-mails that tell importers their money arrived or left. */
export function registerFundingJobs(registry: JobRegistry, deps: { mailer: Mailer }): void {
  registry.register(EXPIRE_DEPOSITS_JOB, async (_payload, { db, logger }) => {
    const n = await db.transaction().execute((tx) => expireDeposits(tx, systemActor));
    if (n > 0) logger.info({ count: n }, 'deposit intents expired');
  });
  registry.schedule({ name: 'expire-deposits', jobName: EXPIRE_DEPOSITS_JOB, intervalSeconds: 300 });

  registry.register(DEPOSIT_CREDITED_JOB, async (payload, { db }) => {
    // Each mail is its own outbox job (deduplicated by credit), so a failure resends one mail, not the batch.
    const credits = payload.credits as { depositId: string; amount: string }[];
    const batch = String(payload.batch ?? '');
    for (const c of credits) {
      const d = await db.selectFrom('deposit_intents').selectAll().where('id', '=', c.depositId).executeTakeFirst();
      if (!d) continue;
      const outstanding = d.amount_due - d.received_amount;
      const state = d.status === 'paid' ? 'paid' : d.status === 'expired' || d.status === 'cancelled' ? 'late' : 'partial';
      const inApp = { id: depositMail.id(d.id, formatMoney(c.amount, 'IDR', 'id'), state, formatMoney(outstanding > 0n ? outstanding : 0n, 'IDR', 'id')).subject, en: depositMail.en(d.id, formatMoney(c.amount, 'IDR', 'en'), state, formatMoney(outstanding > 0n ? outstanding : 0n, 'IDR', 'en')).subject };
      await notifyInApp(db, { customerId: d.customer_id, kind: 'deposit.credited', title: inApp, object: { type: 'deposit', id: d.id }, dedupeKey: `deposit-credit:${batch}:${d.id}` });
      for (const user of await customerRecipients(db, d.customer_id)) {
        const lang = user.locale;
        const closed = d.status === 'expired' || d.status === 'cancelled';
        const msg = depositMail[lang](d.id, formatMoney(c.amount, 'IDR', lang), d.status === 'paid' ? 'paid' : closed ? 'late' : 'partial', formatMoney(outstanding > 0n ? outstanding : 0n, 'IDR', lang));
        await enqueueJob(db, SEND_MAIL_JOB, { to: user.email, subject: msg.subject, text: msg.text }, { dedupeKey: `deposit-credit:${batch}:${d.id}:${user.email}` });
      }
    }
  });

  registry.register(WITHDRAWAL_UPDATED_JOB, async (payload, { db }) => {
    const w = await db.selectFrom('withdrawals').selectAll().where('id', '=', String(payload.withdrawalId)).executeTakeFirst();
    if (!w) return;
    for (const user of await customerRecipients(db, w.customer_id)) {
      const lang = user.locale;
      const amount = formatMoney(w.amount, 'IDR', lang);
      // The status the event was about, not the current one (a later step may have run already).
      const status = (String(payload.status) in withdrawalMail[lang] ? String(payload.status) : w.status) as keyof (typeof withdrawalMail)['id'];
      const state = withdrawalMail[lang][status];
      const subject = lang === 'id' ? `Penarikan ${amount} ${state}` : `Withdrawal of ${amount} ${state}`;
      const text =
        lang === 'id'
          ? `Penarikan ${w.id} ke ${w.bank_name} ${w.account_number} a.n. ${w.holder_name}: ${state}.${w.payout_reference ? ` Referensi transfer: ${w.payout_reference}.` : ''}${w.reason ? ` Alasan: ${w.reason}.` : ''}`
          : `Withdrawal ${w.id} to ${w.bank_name} ${w.account_number} (${w.holder_name}): ${state}.${w.payout_reference ? ` Transfer reference: ${w.payout_reference}.` : ''}${w.reason ? ` Reason: ${w.reason}.` : ''}`;
      await deps.mailer.send({ to: user.email, subject, text });
    }
    const status = String(payload.status) as keyof (typeof withdrawalMail)['id'];
    if (status in withdrawalMail.id) {
      await notifyInApp(db, {
        customerId: w.customer_id,
        kind: `withdrawal.${status}`,
        title: { id: `Penarikan ${formatMoney(w.amount, 'IDR', 'id')} ${withdrawalMail.id[status]}`, en: `Withdrawal of ${formatMoney(w.amount, 'IDR', 'en')} ${withdrawalMail.en[status]}` },
        object: { type: 'withdrawal', id: w.id },
        dedupeKey: `withdrawal:${w.id}:${status}`,
      });
    }
  });
}
