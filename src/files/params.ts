import { fail } from '../core/errors.ts';
import { type Infer, listParams, p, type Schema } from '../core/params.ts';
import { FilePart } from './upload.ts';

/** File params, as typed by stripe@23.1.0's FileCreateParams, FileListParams and FileLink*Params. */

/** Every purpose the SDK can upload with; content.ts says which ones Portico keeps. */
export const UPLOAD_PURPOSES = [
  'account_requirement',
  'additional_verification',
  'business_icon',
  'business_logo',
  'customer_signature',
  'dispute_evidence',
  'identity_document',
  'issuing_regulatory_reporting',
  'pci_document',
  'platform_terms_of_service',
  'tax_document_user_upload',
  'terminal_android_apk',
  'terminal_reader_splashscreen',
  'terminal_wifi_certificate',
  'terminal_wifi_private_key',
] as const;

/** Purposes a file can have, including those only Stripe creates (reports, query results). */
const LIST_PURPOSES = [
  ...UPLOAD_PURPOSES,
  'document_provider_identity_document',
  'finance_report_run',
  'financial_account_statement',
  'identity_document_downloadable',
  'selfie',
  'sigma_scheduled_query',
] as const;

/** An uploaded file: a file part of a multipart/form-data body, never a text value. */
function filePart(): Schema<FilePart> {
  return {
    optional: true,
    parse(value, path) {
      if (value instanceof FilePart) return value;
      throw fail('file_part_expected', { field: path }, path);
    },
  };
}

export const createFileParams = p.object({
  file: p.required(filePart()),
  purpose: p.required(p.enumOf(UPLOAD_PURPOSES)),
  expand: p.array(p.string()),
  file_link_data: p.object({
    create: p.required(p.boolean()),
    expires_at: p.integer({ min: 0 }),
    metadata: p.metadata(),
  }),
});

export const listFileParams = listParams({ purpose: p.enumOf(LIST_PURPOSES) });

export const createFileLinkParams = p.object({
  file: p.required(p.string()),
  expand: p.array(p.string()),
  expires_at: p.integer({ min: 0 }),
  metadata: p.metadata(),
});

export const updateFileLinkParams = p.object({
  expand: p.array(p.string()),
  expires_at: p.clearable(p.timestamp({ now: true })),
  metadata: p.metadata(),
});

export const listFileLinkParams = listParams({ file: p.string() });

export type CreateFileParams = Infer<typeof createFileParams>;
export type ListFileParams = Infer<typeof listFileParams>;
export type CreateFileLinkParams = Infer<typeof createFileLinkParams>;
export type UpdateFileLinkParams = Infer<typeof updateFileLinkParams>;
export type ListFileLinkParams = Infer<typeof listFileLinkParams>;
