import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.ts';
import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

/**
 * Credit notes (listed by customer and by invoice) and customer balance transactions (listed by
 * customer, filtered by invoice). A customer whose balance is already not zero gets one
 * `migration` transaction for it, so that a customer's transactions always add up to its balance.
 */
export const creditNotes: DialectMigration = (dialect) => ({
  async up(db) {
    await objectTable(db, 'credit_notes', dialect)
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('invoice', 'text', (c) => c.notNull())
      .execute();
    await listIndex(db, 'credit_notes');
    await listIndex(db, 'credit_notes', ['customer']);
    await listIndex(db, 'credit_notes', ['invoice']);

    await objectTable(db, 'customer_balance_transactions', dialect)
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('invoice', 'text')
      .execute();
    await listIndex(db, 'customer_balance_transactions', ['customer']);
    await openingBalances(db);
  },
});

interface CustomerData {
  id: string;
  balance?: number;
  currency?: string | null;
  created: number;
}

async function openingBalances(db: Kysely<unknown>): Promise<void> {
  const typed = db as unknown as Kysely<{
    customers: { account_id: string; livemode: number; data: string; deleted: number };
    customer_balance_transactions: {
      id: string;
      account_id: string;
      livemode: number;
      created: number;
      data: string;
      customer: string;
      invoice: string | null;
    };
  }>;
  const rows = await typed
    .selectFrom('customers')
    .select(['account_id', 'livemode', 'data'])
    .where('deleted', '=', 0)
    .execute();
  for (const row of rows) {
    const customer = JSON.parse(row.data) as CustomerData;
    if (!customer.balance) continue;
    const transaction = {
      id: newId('cbtxn'),
      object: 'customer_balance_transaction',
      amount: customer.balance,
      checkout_session: null,
      created: customer.created,
      credit_note: null,
      currency: customer.currency ?? 'usd',
      customer: customer.id,
      customer_account: null,
      description: null,
      ending_balance: customer.balance,
      invoice: null,
      livemode: row.livemode === 1,
      metadata: {},
      type: 'migration',
    };
    await typed
      .insertInto('customer_balance_transactions')
      .values({
        id: transaction.id,
        account_id: row.account_id,
        livemode: row.livemode,
        created: transaction.created,
        data: JSON.stringify(transaction),
        customer: customer.id,
        invoice: null,
      })
      .execute();
  }
}
