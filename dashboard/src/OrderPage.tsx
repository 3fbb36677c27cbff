// One order: its status, lab account (and why it was used), events, PDFs, results; cancelling it (after a
// confirmation); and in sandbox, simulating the lab. A paced simulation is run by the server's worker, one
// step at a time, so the page polls the order until the last step has arrived.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { authHeaders, client, errorMessage, type Schemas } from './api';
import { isFinished } from './orderText';
import { ResultsTable } from './ResultsTable';
import { ErrorAlert, LoadState, PageHeading, thrownMessage, unwrap, useLoad } from './ui';

type Interpretation = NonNullable<NonNullable<Schemas['SimulationFlags']>['interpretation']>;
const RESULT_EVENT = /\.(partial_results|completed|corrected)$/;
const POLL_MS = 1000;

export function OrderPage(props: { apiKey: string; env: string; orderId: string; onBack: () => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const path = useMemo(() => ({ order_id: props.orderId }), [props.orderId]);
  const order = useLoad(useCallback(() => unwrap(api.GET('/v3/order/{order_id}', { params: { path } })), [api, path]));
  const accounts = useLoad(useCallback(async () => (await unwrap(api.GET('/v3/lab_test/lab_account'))).data, [api]));
  // Results exist only after a partial or final report (asking earlier is a 404); each new report reloads them.
  const reports = order.value?.events.filter((e) => RESULT_EVENT.test(e.status)).length ?? 0;
  const results = useLoad(
    useCallback(
      async () => (reports === 0 ? null : (await unwrap(api.GET('/v3/order/{order_id}/result', { params: { path } }))).results),
      [api, path, reports],
    ),
  );

  const [busy, setBusy] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [outcome, setOutcome] = useState<Interpretation>('normal');
  const [paced, setPaced] = useState(false);
  const [simulating, setSimulating] = useState<{ target: string; steps: number; eventsBefore: number } | null>(null);
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);

  const status = order.value?.last_event.status ?? '';
  const reloadOrder = order.reload;
  useEffect(() => {
    if (!simulating) return;
    const timer = setInterval(() => void reloadOrder(), POLL_MS);
    return () => clearInterval(timer);
  }, [simulating, reloadOrder]);
  useEffect(() => {
    if (simulating && (status === simulating.target || isFinished(status))) {
      setSimulating(null);
      setMessage({ text: 'Simulation complete: the lab’s results are in.', problem: false });
    }
  }, [simulating, status]);

  const run = async (label: string, action: () => Promise<{ error?: unknown; data?: unknown }>, done: string) => {
    setBusy(label);
    setMessage(null);
    try {
      const { data, error } = await action();
      setMessage(data ? { text: done, problem: false } : { text: `${label} failed: ${errorMessage(error)}`, problem: true });
      await order.reload();
    } catch (e) {
      setMessage({ text: thrownMessage(e), problem: true });
    } finally {
      setBusy(null);
    }
  };
  const cancel = () => {
    setConfirmCancel(false);
    return run('Cancelling', () => api.POST('/v3/order/{order_id}/cancel', { params: { path } }), 'Order cancelled.');
  };
  const simulate = async () => {
    setBusy('Simulating');
    setMessage(null);
    try {
      const { data, error } = await api.POST('/v3/order/{order_id}/test', {
        params: { path, query: paced ? { delay: 1 } : {} },
        body: { interpretation: outcome },
      });
      if (!data) setMessage({ text: `The simulation failed: ${errorMessage(error)}`, problem: true });
      else if (data.scheduled)
        setSimulating({
          target: data.steps[data.steps.length - 1],
          steps: data.steps.length,
          eventsBefore: order.value?.events.length ?? 0,
        });
      else setMessage({ text: 'Simulation complete: the lab’s results are in.', problem: false });
      await order.reload();
    } catch (e) {
      setMessage({ text: thrownMessage(e), problem: true });
    } finally {
      setBusy(null);
    }
  };
  const download = async (kind: 'requisition' | 'result') => {
    setMessage(null);
    try {
      const res = await fetch(`/v3/order/${props.orderId}/${kind}/pdf`, { headers: authHeaders(props.apiKey) });
      if (!res.ok) {
        const body: unknown = await res.json().catch(() => null);
        return setMessage({ text: `The ${kind} PDF is not available: ${errorMessage(body)}`, problem: true });
      }
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `${kind}-${order.value?.sample_id ?? props.orderId}.pdf`;
      document.body.append(link);
      link.click();
      link.remove();
      // The download has its own copy by the next tick; revoking later is only for slow browsers.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setMessage({ text: thrownMessage(e), problem: true });
    }
  };

  const o = order.value;
  if (!o) {
    return (
      <section aria-label="Order">
        <button type="button" onClick={props.onBack}>
          ← Orders
        </button>
        <LoadState loaded={order} what="the order" />
      </section>
    );
  }
  const account = accounts.value?.find((a) => a.id === o.lab_account_id);
  const finished = isFinished(status);
  const stepsDone = simulating ? Math.max(0, o.events.length - simulating.eventsBefore) : 0;
  return (
    <section aria-labelledby="order-title">
      <button type="button" onClick={props.onBack}>
        ← Orders
      </button>
      <PageHeading id="order-title">{o.lab_test.name}</PageHeading>
      <dl className="config">
        <dt>Status</dt>
        <dd>{status}</dd>
        <dt>Patient</dt>
        <dd>
          {o.patient_details?.first_name} {o.patient_details?.last_name}
        </dd>
        <dt>Lab account</dt>
        <dd>
          {account ? `${account.account_name ?? account.id} (account ${account.provider_account_id})` : o.lab_account_id} —{' '}
          {o.lab_account_resolution.replace(/_/g, ' ')}
        </dd>
        <dt>Sample id</dt>
        <dd>{o.sample_id}</dd>
      </dl>
      <div className="toolbar">
        <button type="button" onClick={() => void download('requisition')}>
          Download requisition PDF
        </button>
        <button type="button" disabled={!results.value} onClick={() => void download('result')}>
          Download result PDF
        </button>
        {!confirmCancel && (
          <button type="button" disabled={busy !== null || finished || simulating !== null} onClick={() => setConfirmCancel(true)}>
            Cancel order
          </button>
        )}
      </div>
      {confirmCancel && (
        <div className="confirm" role="group" aria-label="Confirm cancellation">
          <p>Cancel this order? The lab will not process it, and this cannot be undone.</p>
          <div className="toolbar">
            <button type="button" className="danger" onClick={() => void cancel()}>
              Yes, cancel the order
            </button>
            <button type="button" onClick={() => setConfirmCancel(false)}>
              Keep the order
            </button>
          </div>
        </div>
      )}
      {props.env === 'sandbox' && !finished && (
        <fieldset className="simulate" disabled={busy !== null || simulating !== null}>
          <legend>Sandbox: simulate the lab</legend>
          <label>
            Simulated results{' '}
            <select value={outcome} onChange={(e) => setOutcome(e.target.value as Interpretation)}>
              <option value="normal">normal</option>
              <option value="abnormal">abnormal</option>
              <option value="critical">critical</option>
            </select>
          </label>
          <label className="check-inline">
            <input type="checkbox" checked={paced} onChange={(e) => setPaced(e.target.checked)} /> One step a second
          </label>
          <button type="button" onClick={() => void simulate()}>
            Simulate lab processing
          </button>
        </fieldset>
      )}
      {busy && (
        <p role="status" className="loading">
          {busy}…
        </p>
      )}
      {simulating && (
        <p role="status" className="loading">
          Simulating the lab: step {stepsDone} of {simulating.steps}, now at {status}…
        </p>
      )}
      {message &&
        (message.problem ? (
          <ErrorAlert>{message.text}</ErrorAlert>
        ) : (
          <p role="status" className="message">
            {message.text}
          </p>
        ))}
      {order.error && <LoadState loaded={order} what="the order" />}
      <h2>Events</h2>
      <ol className="history" aria-label="Events">
        {o.events.map((e) => (
          <li key={e.id}>
            <time dateTime={e.created_at}>{new Date(e.created_at).toLocaleString()}</time> — {e.status}
          </li>
        ))}
      </ol>
      <h2>Results</h2>
      <LoadState loaded={results} what="results" />
      {results.value ? <ResultsTable results={results.value} /> : !results.loading && !results.error && <p>No results yet.</p>}
    </section>
  );
}
