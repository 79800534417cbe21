import {
  createCreditNoteParams,
  listCreditNoteLinesParams,
  listCreditNoteParams,
  previewCreditNoteLinesParams,
  previewCreditNoteParams,
  updateCreditNoteParams,
} from '../../billing/credit-notes/params.ts';
import {
  createCreditNote,
  listCreditNoteLines,
  listCreditNotes,
  previewCreditNote,
  previewCreditNoteLines,
  retrieveCreditNote,
  updateCreditNote,
  voidCreditNote,
} from '../../billing/credit-notes/service.ts';
import { expandOnly } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const creditNoteExpansions: ExpansionSpec = {
  expandable: {
    credit_note: ['customer', 'customer_balance_transaction', 'invoice'],
  },
  loaders: { cn: (ctx, id) => findObject(ctx.db, 'credit_notes', ctx.scope, id) },
};

export const creditNoteRoutes = resourceRoutes('credit_notes', [
  route({
    method: 'POST',
    path: '/v1/credit_notes',
    params: createCreditNoteParams,
    handler: createCreditNote,
  }),
  route({ method: 'GET', path: '/v1/credit_notes', params: listCreditNoteParams, handler: listCreditNotes }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/preview',
    params: previewCreditNoteParams,
    handler: previewCreditNote,
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/preview/lines',
    params: previewCreditNoteLinesParams,
    handler: previewCreditNoteLines,
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveCreditNote(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/credit_notes/:id',
    params: updateCreditNoteParams,
    handler: (ctx, params, path) => updateCreditNote(ctx, path.id!, params),
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/:id/lines',
    params: listCreditNoteLinesParams,
    handler: (ctx, params, path) => listCreditNoteLines(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/credit_notes/:id/void',
    params: expandOnly,
    handler: (ctx, _params, path) => voidCreditNote(ctx, path.id!),
  }),
]);
