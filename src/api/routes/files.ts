import { expandOnly } from '../../core/params.ts';
import { createFileLink, listFileLinks, retrieveFileLink, updateFileLink } from '../../files/links.ts';
import {
  createFileLinkParams,
  createFileParams,
  listFileLinkParams,
  listFileParams,
  updateFileLinkParams,
} from '../../files/params.ts';
import { createFile, findFile, listFiles, retrieveFile } from '../../files/service.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const fileExpansions: ExpansionSpec = {
  loaders: { file: findFile },
  expandable: { file_link: ['file'] },
};

/**
 * Files (uploaded as multipart/form-data; the bytes are served by api/downloads.ts) and file
 * links.
 */
export const fileRoutes = resourceRoutes('files', [
  route({
    method: 'POST',
    path: '/v1/files',
    params: createFileParams,
    handler: createFile,
    multipart: true,
  }),
  route({ method: 'GET', path: '/v1/files', params: listFileParams, handler: listFiles }),
  route({
    method: 'GET',
    path: '/v1/files/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveFile(ctx, path.id!),
  }),
]);

export const fileLinkRoutes = resourceRoutes('file_links', [
  route({
    method: 'POST',
    path: '/v1/file_links',
    params: createFileLinkParams,
    handler: (ctx, params) => createFileLink(ctx, params),
  }),
  route({ method: 'GET', path: '/v1/file_links', params: listFileLinkParams, handler: listFileLinks }),
  route({
    method: 'GET',
    path: '/v1/file_links/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveFileLink(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/file_links/:id',
    params: updateFileLinkParams,
    handler: (ctx, params, path) => updateFileLink(ctx, path.id!, params),
  }),
]);
