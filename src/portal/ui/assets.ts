import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The portal's static files, served by the routes beside the pages. */
export type PortalAssetName = 'portal.css' | 'portal.js';

export interface PortalAsset {
  body: Buffer;
  contentType: string;
  /** A short content hash, for a cache-busting URL (`/assets/portal.css?v=…`) and an ETag. */
  hash: string;
}

const TYPES: Record<PortalAssetName, string> = {
  'portal.css': 'text/css; charset=utf-8',
  'portal.js': 'text/javascript; charset=utf-8',
};

const loaded = new Map<PortalAssetName, PortalAsset>();

/**
 * One asset, read once. The files sit in `assets/` beside this module when it runs from source,
 * and in `dist/assets/` beside the bundle (scripts/build.mjs copies them), so the same relative
 * URL finds them in both.
 */
export function portalAsset(name: PortalAssetName): PortalAsset {
  let asset = loaded.get(name);
  if (!asset) {
    const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
    asset = {
      body,
      contentType: TYPES[name],
      hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
    };
    loaded.set(name, asset);
  }
  return asset;
}
