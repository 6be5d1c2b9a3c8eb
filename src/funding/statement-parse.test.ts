import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, findStatementFormat, MAX_STATEMENT_AMOUNT as MAX, parseStatement, parseStatementAmount, parseStatementDate, type NumberFormat } from './statement-parse.ts';

const format = (id: string) => findStatementFormat(id)!;

describe('statement amounts', () => {
  it('reads Indonesian and English number formats exactly, in sen', () => {
    expect(parseStatementAmount('1.234.567,00', 'id')).toBe(123456700n);
    expect(parseStatementAmount('1.234.567', 'id')).toBe(123456700n);
    expect(parseStatementAmount('12.345.417,5', 'id')).toBe(1234541750n);
    expect(parseStatementAmount('1,234,567.00', 'en')).toBe(123456700n);
    expect(parseStatementAmount('12345417.00', 'en')).toBe(1234541700n);
    expect(parseStatementAmount('-250,000.00', 'en')).toBe(-25000000n);
    expect(parseStatementAmount('(250.000,00)', 'id')).toBe(-25000000n);
    expect(parseStatementAmount('Rp 1.000', 'id')).toBe(100000n);
  });

  it('auto decides by the last separator: 1–2 digits after it are decimals, 3 are thousands', () => {
    expect(parseStatementAmount('1.234.567,89', 'auto')).toBe(123456789n);
    expect(parseStatementAmount('1,234,567.89', 'auto')).toBe(123456789n);
    expect(parseStatementAmount('1.234.567', 'auto')).toBe(123456700n);
    expect(parseStatementAmount('1,234,567', 'auto')).toBe(123456700n);
    expect(parseStatementAmount('500', 'auto')).toBe(50000n);
  });

  it('refuses what is not an amount, with the reason', () => {
    expect(() => parseStatementAmount('12a', 'en')).toThrow(/not an amount/);
    expect(() => parseStatementAmount('1.234,567', 'id')).toThrow(/two decimals/);
    expect(() => parseStatementAmount('1,23,4567.00', 'en')).toThrow(/thousands/);
    expect(() => parseStatementAmount('1.234.567,00', 'en')).toThrow();
    expect(() => parseStatementAmount('', 'auto')).toThrow();
  });

  it('reads every amount as the plain rules do (the fast path for the common shape changes nothing)', () => {
    const outcome = (f: () => bigint) => {
      try {
        return f();
      } catch (err) {
        return (err as Error).message;
      }
    };
    const text = fc.oneof(
      fc.stringMatching(/^[0-9.,]{0,14}$/),
      fc.stringMatching(/^[0-9]{1,3}([.,][0-9]{3}){0,6}([.,][0-9]{0,3})?$/),
      fc.bigInt({ min: 0n, max: MAX * 2n }).map((v) => `${(v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(v % 100n).toString().padStart(2, '0')}`),
      fc.bigInt({ min: 0n, max: MAX * 2n }).map((v) => `${(v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${(v % 100n).toString().padStart(2, '0')}`),
    );
    fc.assert(
      fc.property(text, fc.constantFrom<NumberFormat>('en', 'id', 'auto'), (raw, f) => {
        expect(outcome(() => parseStatementAmount(raw, f))).toEqual(outcome(() => referenceAmount(raw, f)));
      }),
      { numRuns: 5000 },
    );
  });
});

/** The amount rules as first written (one general path), to check the fast path against. */
function referenceAmount(raw: string, format: NumberFormat): bigint {
  let text = raw.replace(/[\s\u00a0]/g, '').replace(/^(Rp|IDR)/i, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-')) {
    negative = !negative;
    text = text.slice(1);
  } else if (text.startsWith('+')) text = text.slice(1);
  if (text.endsWith('-')) {
    negative = !negative;
    text = text.slice(0, -1);
  }
  if (!/^[0-9.,]+$/.test(text) || !/[0-9]/.test(text)) throw new Error(`"${raw}" is not an amount`);
  let decimalMark: '.' | ',' | null;
  if (format === 'id') decimalMark = ',';
  else if (format === 'en') decimalMark = '.';
  else {
    const last = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
    decimalMark = last >= 0 && /^[0-9]{1,2}$/.test(text.slice(last + 1)) ? (text[last] as '.' | ',') : null;
  }
  const groupMark = decimalMark === ',' ? '.' : decimalMark === '.' ? ',' : text.includes('.') ? '.' : ',';
  let [whole = '', fraction = ''] = decimalMark ? text.split(decimalMark) : [text];
  if (decimalMark && text.split(decimalMark).length > 2) throw new Error(`"${raw}" has more than one decimal mark`);
  if (whole.includes(groupMark)) {
    if (!new RegExp(`^[0-9]{1,3}(\\${groupMark}[0-9]{3})*$`).test(whole)) throw new Error(`"${raw}" has misplaced thousands separators`);
    whole = whole.split(groupMark).join('');
  }
  if (!/^[0-9]+$/.test(whole) && !(whole === '' && fraction)) throw new Error(`"${raw}" is not an amount in the ${format === 'id' ? 'Indonesian (1.234.567,00)' : format === 'en' ? 'English (1,234,567.00)' : 'expected'} number format`);
  if (!/^[0-9]{0,2}$/.test(fraction)) throw new Error(`"${raw}" has more than two decimals`);
  const minor = BigInt(whole || '0') * 100n + BigInt(fraction.padEnd(2, '0') || '0');
  if (minor > MAX) throw new Error(`"${raw}" is beyond any plausible bank balance (more than Rp 1.000.000.000.000.000)`);
  return negative ? -minor : minor;
}

describe('statement text', () => {
  it('cleans descriptions the same with or without the shortcut for clean ASCII', () => {
    const reference = (t: string) =>
      // eslint-disable-next-line no-control-regex
      t.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
    const unit = fc.constantFrom('a', 'B', ' ', '  ', '\t', '\n', '\u00a0', '\u0000', 'é', '\u007f', '-');
    fc.assert(
      fc.property(fc.string({ unit }), (t) => {
        expect(cleanText(t)).toBe(reference(t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('statement dates', () => {
  it('reads the shipped date formats and refuses impossible dates', () => {
    expect(parseStatementDate('23/11/2026', 'DD/MM/YYYY', null)).toBe('2026-11-23');
    expect(parseStatementDate("'05/11", 'DD/MM', { from: '2026-11-01', to: '2026-11-30' })).toBe('2026-11-05');
    // A period across New Year: each day takes the year that puts it inside the period.
    const newYear = { from: '2026-12-28', to: '2027-01-03' };
    expect(parseStatementDate('30/12', 'DD/MM', newYear)).toBe('2026-12-30');
    expect(parseStatementDate('02/01', 'DD/MM', newYear)).toBe('2027-01-02');
    expect(() => parseStatementDate('15/01', 'DD/MM', newYear)).toThrow(/outside the statement period/);
    expect(parseStatementDate('2026-11-05 10:22:00', 'YYYY-MM-DD', null)).toBe('2026-11-05');
    expect(parseStatementDate('5 Des 2026', 'D MMM YYYY', null)).toBe('2026-12-05');
    expect(() => parseStatementDate('31/02/2026', 'DD/MM/YYYY', null)).toThrow(/not a valid date/);
    expect(() => parseStatementDate('05/11', 'DD/MM', null)).toThrow(/period/);
    expect(() => parseStatementDate('2026/11/05', 'DD-MM-YYYY', null)).toThrow(/format/);
  });
});

describe('CSV statements', () => {
  it('reads a KlikBCA export: year from the period line, CR/DB marks, footer rows ignored', () => {
    const csv = [
      'No. rekening : 1234567890',
      'Nama : PT JEMBATAN DEMO',
      'Periode : 01/11/2026 - 30/11/2026',
      'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo',
      `'02/11,TRSF E-BANKING CR 0211/FTSCY/WS95031 JBT7K3Q9MX PT MAJU,0000,"12,345,417.00 CR","162,345,417.00"`,
      `'03/11,BIAYA ADM,0998,"15,000.00 DB","162,330,417.00"`,
      'Saldo Awal,,,,"150,000,000.00"',
    ].join('\n');
    const r = parseStatement(format('bca-csv'), csv, '1234567890');
    expect(r.fatal).toBeNull();
    expect(r.problems).toEqual([]);
    expect(r.lines).toEqual([
      { lineNo: 5, date: '2026-11-02', description: 'TRSF E-BANKING CR 0211/FTSCY/WS95031 JBT7K3Q9MX PT MAJU', direction: 'credit', amount: 1234541700n, balance: 16234541700n },
      { lineNo: 6, date: '2026-11-03', description: 'BIAYA ADM', direction: 'debit', amount: 1500000n, balance: 16233041700n },
    ]);
  });

  it('reads Mandiri (debit/credit columns, Indonesian numbers), BNI (D/K column, semicolons) and BRI exports', () => {
    const mandiri = 'Tanggal,Keterangan,Referensi,Debit,Kredit,Saldo\n02/11/2026,SETORAN,REF1,,"1.500.000,00","11.500.000,00"\n03/11/2026,TRANSFER KELUAR,REF2,"500.000,00",,"11.000.000,00"\n';
    const m = parseStatement(format('mandiri-csv'), mandiri, '9870001111');
    expect(m.lines.map((l) => [l.date, l.direction, l.amount, l.description])).toEqual([
      ['2026-11-02', 'credit', 150000000n, 'SETORAN REF1'],
      ['2026-11-03', 'debit', 50000000n, 'TRANSFER KELUAR REF2'],
    ]);
    const bni = 'Tanggal Transaksi;Uraian Transaksi;Tipe;Nominal;Saldo\n02-11-2026;TRF DARI BUDI;K;2.000.000,00;12.000.000,00\n';
    expect(parseStatement(format('bni-csv'), bni, '1').lines[0]).toMatchObject({ direction: 'credit', amount: 200000000n, balance: 1200000000n });
    const bri = 'TGL_TRAN,DESK_TRAN,MUTASI_DEBET,MUTASI_KREDIT,SALDO_AKHIR_MUTASI\n2026-11-02,NBMB PT MAJU,0.00,2500000.00,12500000.00\n';
    expect(parseStatement(format('bri-csv'), bri, '1').lines[0]).toMatchObject({ direction: 'credit', amount: 250000000n });
  });

  it('refuses a KlikBCA export of another account, and a money row without a date', () => {
    const other = ['No. rekening : 555-555-5555', 'Periode : 01/11/2026 - 30/11/2026', 'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo', `'02/11,X,0000,"1.00 CR","1.00"`].join('\n');
    expect(parseStatement(format('bca-csv'), other, '1234567890').fatal).toMatchObject({ line: 1, message: expect.stringMatching(/for account 5555555555, not 1234567890/) });
    const mandiri = 'Tanggal,Keterangan,Referensi,Debit,Kredit,Saldo\n,TRANSFER TANPA TANGGAL,R2,,"5.000.000,00","5.000.000,00"\n,,,,,\n';
    expect(parseStatement(format('mandiri-csv'), mandiri, '1').problems).toEqual([{ line: 2, column: 'Tanggal', message: expect.stringMatching(/not a date/) }]);
  });

  it('reports the header line of a file without transactions, and cleans control characters out of descriptions', () => {
    const empty = ['No. rekening : 1234567890', 'Periode : 01/11/2026 - 30/11/2026', '', 'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo'].join('\n');
    expect(parseStatement(format('bca-csv'), empty, '1234567890').fatal).toMatchObject({ line: 4 });
    const nul = 'date,description,credit,debit,balance\n2026-11-02,"A\u0000B\tC",100.00,,100.00\n';
    expect(parseStatement(format('generic-csv'), nul, '1').lines[0]!.description).toBe('A B C');
    expect(parseStatement(format('generic-csv'), 'date,description,credit,debit,balance\n2026-11-02,BIG,99999999999999999999.00,,\n', '1').problems[0]!.message).toMatch(/plausible/);
  });

  it('refuses a file of another bank as a whole, naming the columns it expected', () => {
    const mandiri = 'Tanggal,Keterangan,Referensi,Debit,Kredit,Saldo\n02/11/2026,SETORAN,REF1,,"1.500.000,00","11.500.000,00"\n';
    const r = parseStatement(format('bca-csv'), mandiri, '1234567890');
    expect(r.fatal?.message).toMatch(/does not look like a BCA .* "tanggal transaksi"/);
    expect(r.lines).toEqual([]);
  });

  it('reports each bad line with its line number and column, and keeps the good ones', () => {
    const csv = [
      'date,description,credit,debit,balance',
      '2026-11-02,OK,100.00,,100.00',
      '2026-11-31,BAD DATE,100.00,,200.00',
      '2026-11-03,BAD AMOUNT,1x0.00,,200.00',
      '2026-11-03,BOTH,100.00,50.00,250.00',
    ].join('\n');
    const r = parseStatement(format('generic-csv'), csv, '1');
    expect(r.lines).toHaveLength(1);
    expect(r.problems).toEqual([
      { line: 3, column: 'date', message: expect.stringMatching(/not a valid date/) },
      { line: 4, column: 'credit', message: expect.stringMatching(/not an amount/) },
      { line: 5, column: 'credit', message: expect.stringMatching(/exactly one of the debit and credit/) },
    ]);
  });
});

describe('MT940 statements', () => {
  const mt940 = (account: string, closing: string) =>
    [
      '{1:F01BANKIDJAXXXX0000000000}{2:I940BANKIDJAXXXXN}{4:',
      ':20:STMT2611',
      `:25:${account}`,
      ':28C:00123/001',
      ':60F:C261101IDR150000000,00',
      ':61:2611021102C12345417,00NTRFNONREF//0211FTS',
      ':86:TRSF E-BANKING CR JBT7K3Q9MX',
      'PT MAJU JAYA',
      ':61:2611030103D15000,NCHGNONREF',
      ':86:BIAYA ADMIN',
      `:62F:C261130IDR${closing}`,
      '-}',
    ].join('\r\n');

  it('reads lines with multi-line :86: details and computes the running balance', () => {
    const r = parseMt940Checked(mt940('BCAIDJA/1234567890', '162330417,00'));
    expect(r.fatal).toBeNull();
    expect(r.openingBalance).toBe(15000000000n);
    expect(r.closingBalance).toBe(16233041700n);
    expect(r.lines).toEqual([
      { lineNo: 6, date: '2026-11-02', description: expect.stringContaining('TRSF E-BANKING CR JBT7K3Q9MX PT MAJU JAYA'), direction: 'credit', amount: 1234541700n, balance: 16234541700n },
      { lineNo: 9, date: '2026-11-03', description: 'BIAYA ADMIN', direction: 'debit', amount: 1500000n, balance: 16233041700n },
    ]);
  });

  it('refuses a statement of another account, and one whose closing balance does not add up', () => {
    expect(parseMt940Checked(mt940('9999999999', '162330417,00')).fatal?.message).toMatch(/for account 9999999999, not 1234567890/);
    const bad = parseMt940Checked(mt940('1234567890', '162330418,00'));
    expect(bad.fatal).toMatchObject({ line: 11, column: ':62F:' });
    expect(bad.fatal?.message).toMatch(/incomplete or altered/);
  });

  it('keeps a statement-level :86: out of the last transaction, and refuses a statement without :25:', () => {
    const withInfo = mt940('1234567890', '162330417,00').replace('-}', ':86:STATEMENT NO 1\r\n-}');
    const r = parseMt940Checked(withInfo);
    expect(r.lines[1]!.description).toBe('BIAYA ADMIN');
    const noAccount = mt940('1234567890', '162330417,00').replace(':25:1234567890\r\n', '');
    expect(parseMt940Checked(noAccount).fatal?.message).toMatch(/does not name its account/);
  });

  it('refuses what is not MT940 at all', () => {
    expect(parseMt940Checked('hello,world\n1,2').fatal?.message).toMatch(/not an MT940/);
  });

  function parseMt940Checked(content: string) {
    return parseStatement(format('mt940'), content, '1234567890');
  }
});
