// Team view (team API keys, or an org admin's minted access token): orders, new order, order page.
import { useState } from 'react';
import { NewOrder } from './NewOrder';
import { OrderPage } from './OrderPage';
import { OrdersPage } from './OrdersPage';

type Page = { kind: 'list' } | { kind: 'new' } | { kind: 'order'; id: string };

export function TeamView({ apiKey, env }: { apiKey: string; env: string }) {
  const [page, setPage] = useState<Page>({ kind: 'list' });
  return (
    <>
      <nav aria-label="Team sections" className="tabs">
        <button type="button" aria-current={page.kind === 'list' ? 'page' : undefined} onClick={() => setPage({ kind: 'list' })}>
          Orders
        </button>
        <button type="button" aria-current={page.kind === 'new' ? 'page' : undefined} onClick={() => setPage({ kind: 'new' })}>
          New order
        </button>
      </nav>
      {page.kind === 'list' && <OrdersPage apiKey={apiKey} onOpen={(id) => setPage({ kind: 'order', id })} />}
      {page.kind === 'new' && <NewOrder apiKey={apiKey} onPlaced={(id) => setPage({ kind: 'order', id })} />}
      {page.kind === 'order' && <OrderPage apiKey={apiKey} env={env} orderId={page.id} onBack={() => setPage({ kind: 'list' })} />}
    </>
  );
}
