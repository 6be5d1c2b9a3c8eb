import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Kysely, Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, DocumentsTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';

export type StoredDocument = Selectable<DocumentsTable>;

/** Where file bytes live: local disk by default; an S3-compatible store implements the same two calls. */
export interface FileStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
}

export class DiskStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    if (!/^[a-z0-9_/.-]+$/.test(key) || key.includes('..')) throw new Error(`Bad storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written whole, then renamed: a crash never leaves half a proof behind the key.
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, target);
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }
}

/** Proofs and invoices: images or PDF, recognised by their bytes, never by their name. */
export const PROOF_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'] as const;
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export interface DocumentUpload {
  kind: string;
  ownerCustomerId: string | null;
  fileName: string;
  bytes: Buffer;
}

export async function storeDocument(db: Kysely<DB>, storage: FileStorage, actor: Actor, upload: DocumentUpload, allowed: readonly string[] = PROOF_TYPES): Promise<StoredDocument> {
  if (upload.bytes.length === 0) throw new AppError('file_rejected', 'The file is empty.');
  if (upload.bytes.length > MAX_DOCUMENT_BYTES) throw new AppError('file_rejected', `The file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`);
  const detected = await fileTypeFromBuffer(upload.bytes);
  if (!detected || !allowed.includes(detected.mime)) {
    throw new AppError('file_rejected', `The file's content is ${detected ? detected.mime : 'not a recognised type'}; allowed: PNG, JPEG, WebP images or PDF.`);
  }
  const id = newId('document');
  const key = `documents/${id.slice(4, 8)}/${id}.${detected.ext}`;
  await storage.put(key, upload.bytes);
  const row = await db
    .insertInto('documents')
    .values({
      id,
      kind: upload.kind,
      owner_customer_id: upload.ownerCustomerId,
      file_name: upload.fileName.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 200) || 'file',
      content_type: detected.mime,
      size_bytes: upload.bytes.length,
      sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      storage_key: key,
      uploaded_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'document.stored', objectType: 'document', objectId: id, data: { kind: upload.kind, contentType: detected.mime, size: upload.bytes.length } });
  return row;
}

export async function getDocument(db: Kysely<DB>, id: string): Promise<StoredDocument> {
  const d = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) throw new AppError('not_found');
  return d;
}

export function publicDocument(d: StoredDocument) {
  return { id: d.id, kind: d.kind, fileName: d.file_name, contentType: d.content_type, sizeBytes: d.size_bytes, sha256: d.sha256, createdAt: d.created_at.toISOString() };
}

/** Base64 from JSON bodies, strictly: a malformed string is a clear error, not garbage bytes. */
export function decodeBase64File(value: string): Buffer {
  const clean = value.replace(/^data:[^;,]+;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new AppError('validation_failed', 'The file is not valid base64.');
  return Buffer.from(clean, 'base64');
}
