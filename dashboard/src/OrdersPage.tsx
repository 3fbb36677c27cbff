// The team's orders, newest first, filtered by lab account and status, a page at a time.
import { useCallback, useMemo, useState } from 'react';
import { client, type Schemas } from './api';
import { LoadState, PageHeading, unwrap, useLoad } from './ui';

type LowStatus = Schemas['OrderLowLevelStatus'];
const STATUSES: LowStatus[] = [
  'ordered',
  'requisition_created',
  'appointment_scheduled',
  'partial_results',
  'completed',
  'cancelled',
  'sample_error',
];
const SIZE = 50;

export function OrdersPage(props: { apiKey: string; onOpen: (id: string) => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const [filter, setFilter] = useState<{ account: string; status: LowStatus | '' }>({ account: '', status: '' });
  const [page, setPage] = useState(1);
  const accounts = useLoad(useCallback(async () => (await unwrap(api.GET('/v3/lab_test/lab_account'))).data, [api]));
  const orders = useLoad(
    useCallback(
      () =>
        unwrap(
          api.GET('/v3/orders', {
            params: {
              query: { lab_account_id: filter.account || undefined, status: filter.status ? [filter.status] : undefined, page, size: SIZE },
            },
          }),
        ),
      [api, filter, page],
    ),
  );
  const accountName = (id: string) => accounts.value?.find((a) => a.id === id)?.account_name ?? id.slice(0, 8);
  const total = orders.value?.total ?? 0;
  const changeFilter = (next: typeof filter) => {
    setPage(1);
    setFilter(next);
  };

  return (
    <section aria-labelledby="orders-title">
      <PageHeading id="orders-title">Orders</PageHeading>
      <div className="toolbar" role="search" aria-label="Filter orders">
        <label>
          Account{' '}
          <select
            aria-label="Filter by account"
            value={filter.account}
            onChange={(e) => changeFilter({ ...filter, account: e.target.value })}
          >
            <option value="">any</option>
            {(accounts.value ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.account_name ?? a.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select
            aria-label="Filter by status"
            value={filter.status}
            onChange={(e) => changeFilter({ ...filter, status: e.target.value as LowStatus | '' })}
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void orders.reload()}>
          Refresh
        </button>
      </div>
      <LoadState loaded={accounts} what="the team’s lab accounts" />
      <LoadState loaded={orders} what="orders" />
      {orders.value && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Orders table">
            <table aria-label="Orders" className="stack">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Patient</th>
                  <th>Test</th>
                  <th>Lab</th>
                  <th>Account</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {orders.value.orders.map((o) => (
                  <tr key={o.id}>
                    <td data-label="Status">
                      <button type="button" className="link" onClick={() => props.onOpen(o.id)}>
                        {o.last_event.status}
                      </button>
                    </td>
                    <td data-label="Patient">
                      {o.patient_details?.first_name} {o.patient_details?.last_name}
                    </td>
                    <td data-label="Test">{o.lab_test.name}</td>
                    <td data-label="Lab">{o.lab_test.lab?.name}</td>
                    <td data-label="Account">{accountName(o.lab_account_id)}</td>
                    <td data-label="Created">
                      <time dateTime={o.created_at}>{new Date(o.created_at).toLocaleString()}</time>
                    </td>
                  </tr>
                ))}
                {orders.value.orders.length === 0 && (
                  <tr>
                    <td colSpan={6}>No orders yet.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {total > SIZE && (
            <div className="toolbar" role="navigation" aria-label="Order pages">
              <button type="button" disabled={page === 1} onClick={() => setPage(page - 1)}>
                Previous page
              </button>
              <span>
                Page {page} of {Math.ceil(total / SIZE)} ({total} orders)
              </span>
              <button type="button" disabled={page * SIZE >= total} onClick={() => setPage(page + 1)}>
                Next page
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
