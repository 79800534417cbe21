import { type Infer, listParams, p } from '../../core/params.ts';
import { currency } from '../prices/params.ts';

/** Params as typed by stripe@23.1.0's Customer*BalanceTransaction*Params. */

export const createBalanceTransactionParams = p.object({
  amount: p.required(p.amount()),
  currency: p.required(currency()),
  description: p.string({ max: 350 }),
  expand: p.array(p.string()),
  metadata: p.metadata(),
});

export const updateBalanceTransactionParams = p.object({
  description: p.string({ max: 350 }),
  expand: p.array(p.string()),
  metadata: p.metadata(),
});

export const listBalanceTransactionParams = listParams({ invoice: p.string() });

export type CreateBalanceTransactionParams = Infer<typeof createBalanceTransactionParams>;
export type UpdateBalanceTransactionParams = Infer<typeof updateBalanceTransactionParams>;
export type ListBalanceTransactionParams = Infer<typeof listBalanceTransactionParams>;
