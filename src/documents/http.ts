import type { FastifyReply } from 'fastify';
import type { FileStorage, StoredDocument } from './storage.ts';

/** `attachment` (or `inline`) with an ASCII fallback name and the real (e.g. Chinese) one per RFC 5987. */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'file';
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Sends a stored document's bytes with its checked content type; never sniffed by the browser.
 * Images (checked by content at upload) open in the browser; anything else downloads.
 */
export async function sendDocument(reply: FastifyReply, files: FileStorage, doc: StoredDocument, disposition: 'attachment' | 'inline' = doc.content_type.startsWith('image/') ? 'inline' : 'attachment') {
  const bytes = await files.get(doc.storage_key);
  return reply.header('content-type', doc.content_type).header('content-disposition', contentDisposition(doc.file_name, disposition)).header('x-content-type-options', 'nosniff').send(bytes);
}
