import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { errors, fail } from '../core/errors.ts';
import { findObject, type Scope } from '../store/objects.ts';

interface BrandingParams {
  icon?: string | null;
  logo?: string | null;
}

const PURPOSES = { icon: 'business_icon', logo: 'business_logo' } as const;

/**
 * `settings[branding][icon|logo]` must name an uploaded file of the matching purpose. The file is
 * looked up in each scope given, in order: the branded account's own files, then the caller's
 * (a platform branding a connected account may upload the file itself).
 */
export async function checkBrandingFiles(
  ctx: Ctx,
  branding: BrandingParams | undefined,
  scopes: Scope[],
): Promise<void> {
  if (!branding) return;
  for (const field of ['icon', 'logo'] as const) {
    const id = branding[field];
    if (!id) continue;
    const param = `settings[branding][${field}]`;
    let file: Stripe.File | undefined;
    for (const scope of scopes) {
      file ??= await findObject<Stripe.File>(ctx.db, 'files', scope, id);
    }
    if (!file) throw errors.noSuchParam('file', id, param);
    if (file.purpose !== PURPOSES[field]) {
      throw fail(
        'file_purpose_mismatch',
        { file: id, purpose: file.purpose, field: param, needed: PURPOSES[field] },
        param,
      );
    }
  }
}
