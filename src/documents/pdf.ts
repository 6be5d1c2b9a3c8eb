import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
/**
 * Noto Sans SC covers Chinese, Latin and the currency signs: one family for proofs in
 * 中文 and Indonesian alike. pdfkit embeds only the glyphs a document uses (a few KB).
 */
const FONTS = {
  regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
};

export type Pdf = PDFKit.PDFDocument;

/** Builds a PDF (A4 unless told) in memory with the platform's fonts registered as `regular` and `bold`. */
export async function renderPdf(info: { title: string; subject?: string; size?: 'A4' | 'A6'; margin?: number }, build: (doc: Pdf) => void | Promise<void>): Promise<Buffer> {
  const doc = new PDFDocument({ size: info.size ?? 'A4', margin: info.margin ?? 48, info: { Title: info.title, Subject: info.subject ?? info.title, Producer: 'Jembatan' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.font('regular');
  await build(doc);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/** A two-column table of label → value rows. */
export function keyValues(doc: Pdf, rows: [string, string][], options: { labelWidth?: number } = {}): void {
  const labelWidth = options.labelWidth ?? 170;
  const x = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('regular').fontSize(9).fillColor('#555555').text(label, x, y, { width: labelWidth - 8 });
    const afterLabel = doc.y;
    doc.font('regular').fontSize(10).fillColor('#000000').text(value, x + labelWidth, y, { width: width - labelWidth });
    doc.y = Math.max(afterLabel, doc.y) + 4;
  }
  doc.x = x;
}
