// Team view: orders (filter by account and status), a new-order form whose account step appears whenever more
// than one active account of the order's lab is linked to the team (SPEC.md §4), and an order page.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { authHeaders, client, errorMessage, type LabAccount, type Order } from './api';

interface Candidate { lab_account_id: string; account_name: string | null; eligible: boolean; reasons: string[] }

const REASONS: Record<string, string> = {
  billing_type_not_allowed: 'its billing types do not include this one in the patient’s state',
  lab_account_not_active: 'it is not active',
  physician_required: 'it is delegated: the order needs a physician',
  lab_account_lab_mismatch: 'it is for another lab',
};
const reasonText = (reasons: string[]) => reasons.map((r) => REASONS[r] ?? r).join('; ');

/** Why resolution picked the account, in words (SPEC.md §3 resolutions). */
function resolutionText(resolution: string, lab: string): string {
  switch (resolution) {
    case 'explicit': return 'it was chosen for this order';
    case 'only_active': return `it is the only active ${lab} account linked to this team`;
    case 'only_eligible': return `it is the only linked ${lab} account that can take this order`;
    case 'platform_default': return `no ${lab} account is linked to this team, so the platform’s account is used`;
    default: return resolution;
  }
}

export function TeamView({ apiKey, env }: { apiKey: string; env: string }) {
  const [page, setPage] = useState<{ kind: 'list' } | { kind: 'new' } | { kind: 'order'; id: string }>({ kind: 'list' });
  if (page.kind === 'new') return <NewOrder apiKey={apiKey} onDone={(id) => setPage(id ? { kind: 'order', id } : { kind: 'list' })} />;
  if (page.kind === 'order') return <OrderPage apiKey={apiKey} env={env} orderId={page.id} onBack={() => setPage({ kind: 'list' })} />;
  return <Orders apiKey={apiKey} onOpen={(id) => setPage({ kind: 'order', id })} onNew={() => setPage({ kind: 'new' })} />;
}

function Orders(props: { apiKey: string; onOpen: (id: string) => void; onNew: () => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [accounts, setAccounts] = useState<LabAccount[]>([]);
  const [filter, setFilter] = useState({ account: '', status: '' });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.GET('/v3/lab_test/lab_account').then(({ data }) => setAccounts(data?.data ?? []));
  }, [api]);
  useEffect(() => {
    setOrders(null);
    setError(null);
    api.GET('/v3/orders', { params: { query: { lab_account_id: filter.account || undefined, status: filter.status ? [filter.status as never] : undefined } } })
      .then(({ data, error: err }) => {
        if (data) setOrders(data.orders);
        else setError(errorMessage(err));
      })
      .catch(() => setError('Labroute is not reachable.'));
  }, [api, filter]);
  const accountName = (id: string) => accounts.find((a) => a.id === id)?.account_name ?? id.slice(0, 8);
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Orders</h1>
      <div className="toolbar">
        <button type="button" onClick={props.onNew}>New order</button>
        <label>Account{' '}
          <select aria-label="Filter by account" value={filter.account} onChange={(e) => setFilter({ ...filter, account: e.target.value })}>
            <option value="">any</option>{accounts.map((a) => <option key={a.id} value={a.id}>{a.account_name ?? a.id}</option>)}
          </select>
        </label>
        <label>Status{' '}
          <select aria-label="Filter by status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
            <option value="">any</option>{['ordered', 'requisition_created', 'partial_results', 'completed', 'cancelled'].map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {!orders ? !error && <p role="status">Loading…</p> : (
        <div className="table-scroll"><table aria-label="Orders">
          <thead><tr><th>Status</th><th>Patient</th><th>Lab</th><th>Account</th><th>Created</th></tr></thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td><button type="button" className="link" onClick={() => props.onOpen(o.id)}>{o.last_event.status}</button></td>
                <td>{o.patient_details?.first_name} {o.patient_details?.last_name}</td>
                <td>{o.lab_test.lab?.name}</td>
                <td>{accountName(o.lab_account_id)}</td>
                <td>{new Date(o.created_at).toLocaleString()}</td>
              </tr>
            ))}
            {orders.length === 0 && <tr><td colSpan={5}>No orders yet.</td></tr>}
          </tbody>
        </table></div>
      )}
    </section>
  );
}

function NewOrder(props: { apiKey: string; onDone: (orderId: string | null) => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const [tests, setTests] = useState<{ id: string; name: string; method: string; lab: { slug: string; name: string } | null }[]>([]);
  const [accounts, setAccounts] = useState<LabAccount[]>([]);
  const [users, setUsers] = useState<{ user_id: string; client_user_id: string }[]>([]);
  const [form, setForm] = useState({
    user: '', newUser: '', test: '', billing: 'client_bill', first: '', last: '', dob: '', gender: 'female', phone: '', email: '',
    line: '', city: '', state: '', zip: '', physicianFirst: '', physicianLast: '', npi: '',
  });
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [resolution, setResolution] = useState<{ text: string; usable: boolean } | null>(null);
  const [account, setAccount] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.GET('/v3/lab_tests').then(({ data, error: err }) => {
      if (data) setTests(data as never);
      else setError(`The test catalogue could not be loaded: ${errorMessage(err)}`);
    });
    api.GET('/v3/lab_test/lab_account').then(({ data }) => setAccounts(data?.data ?? []));
    api.GET('/v2/user').then(({ data }) => setUsers(data?.users ?? []));
  }, [api]);
  const test = tests.find((t) => t.id === form.test);
  const activeForLab = accounts.filter((a) => a.status === 'active' && test && a.lab === test.lab?.slug);
  const showStep = activeForLab.length > 1;

  const body = useCallback((userId: string) => ({
    user_id: userId,
    order_set: { lab_test_ids: [form.test] },
    collection_method: test?.method as never,
    billing_type: form.billing as never,
    patient_details: { first_name: form.first, last_name: form.last, dob: form.dob, gender: form.gender as never, phone_number: form.phone, email: form.email },
    patient_address: { first_line: form.line, city: form.city, state: form.state, zip: form.zip, country: 'US' },
    ...(form.npi ? { physician: { first_name: form.physicianFirst, last_name: form.physicianLast, npi: form.npi } } : {}),
  }), [form, test]);

  // The dry run says which account would be used and why, and each candidate's eligibility. It needs the
  // patient to exist: a new patient is created (or found by its id) once the form is complete.
  const complete = Boolean(test && form.first && form.last && form.dob && form.state && form.zip && form.email && form.phone && form.line && form.city);
  useEffect(() => {
    if (!complete || form.user || !form.newUser) return;
    (async () => {
      const created = await api.POST('/v2/user', { body: { client_user_id: form.newUser } });
      const userId = created.data?.user_id
        ?? (await api.GET('/v2/user/resolve/{client_user_id}', { params: { path: { client_user_id: form.newUser } } })).data?.user_id;
      if (userId) {
        setUsers((list) => [...list, { user_id: userId, client_user_id: form.newUser }]);
        setForm((f) => ({ ...f, user: userId }));
      }
    })().catch(() => setError('Could not create the patient.'));
  }, [api, complete, form.user, form.newUser]);
  useEffect(() => {
    if (!complete || !form.user) return;
    api.POST('/v3/order/resolve_lab_account', { body: body(form.user) }).then(({ data, error: err }) => {
      const found = (data?.candidates ?? (err as { candidates?: Candidate[] } | undefined)?.candidates ?? []) as Candidate[];
      setCandidates(found);
      const lab = test?.lab?.name ?? 'lab';
      setResolution(data
        ? { text: `This order will use ${data.lab_account.account_name ?? data.lab_account_id} (account ${data.lab_account.provider_account_id}): ${resolutionText(data.lab_account_resolution, lab)}.`, usable: true }
        : { text: `No lab account can take this order: ${errorMessage(err)}`, usable: false });
      const eligible = found.filter((c) => c.eligible);
      if (eligible.length === 1) setAccount(eligible[0].lab_account_id);
    });
  }, [api, body, complete, form.user, test]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    let userId = form.user;
    if (!userId) {
      const created = await api.POST('/v2/user', { body: { client_user_id: form.newUser || `patient-${Date.now()}` } });
      if (!created.data) return setError(errorMessage(created.error));
      userId = created.data.user_id;
    }
    const { data, error: err } = await api.POST('/v3/order', { body: { ...body(userId), ...(showStep && account ? { lab_account_id: account } : {}) } });
    if (data) props.onDone(data.order.id);
    else setError(errorMessage(err));
  };
  const field = (name: keyof typeof form, label: string, type = 'text') => (
    <label className="field">{label}<input name={name} type={type} value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} /></label>
  );
  return (
    <section aria-labelledby="new-title">
      <button type="button" onClick={() => props.onDone(null)}>← Orders</button>
      <h1 id="new-title">New order</h1>
      <form onSubmit={submit} className="order-form">
        <label className="field">Patient
          <select name="user" value={form.user} onChange={(e) => setForm({ ...form, user: e.target.value })}>
            <option value="">New patient</option>{users.map((u) => <option key={u.user_id} value={u.user_id}>{u.client_user_id}</option>)}
          </select>
        </label>
        {!form.user && field('newUser', 'New patient id (client_user_id)')}
        <label className="field">Test
          <select name="test" value={form.test} onChange={(e) => setForm({ ...form, test: e.target.value })}>
            <option value="">Choose a test</option>{tests.map((t) => <option key={t.id} value={t.id}>{t.name} — {t.lab?.name} ({t.method})</option>)}
          </select>
        </label>
        <label className="field">Billing type
          <select name="billing" value={form.billing} onChange={(e) => setForm({ ...form, billing: e.target.value })}>
            {['client_bill', 'commercial_insurance', 'patient_bill', 'patient_bill_passthrough'].map((b) => <option key={b}>{b}</option>)}
          </select>
        </label>
        {field('first', 'First name')}{field('last', 'Last name')}{field('dob', 'Date of birth', 'date')}
        <label className="field">Sex<select name="gender" value={form.gender} onChange={(e) => setForm({ ...form, gender: e.target.value })}>{['female', 'male', 'other', 'unknown'].map((g) => <option key={g}>{g}</option>)}</select></label>
        {field('phone', 'Phone')}{field('email', 'Email', 'email')}{field('line', 'Address')}{field('city', 'City')}{field('state', 'State (2 letters)')}{field('zip', 'ZIP')}
        <fieldset><legend>Physician (needed for delegated accounts)</legend>{field('physicianFirst', 'First name')}{field('physicianLast', 'Last name')}{field('npi', 'NPI')}</fieldset>
        {test && !showStep && resolution && (
          <div className={resolution.usable ? 'resolution' : 'resolution error'} role={resolution.usable ? 'status' : 'alert'}>
            <p>{resolution.text}</p>
            {!resolution.usable && candidates && candidates.length > 0 && (
              <ul aria-label="Why each account cannot be used">
                {candidates.map((c) => <li key={c.lab_account_id}>{c.account_name ?? c.lab_account_id}: {reasonText(c.reasons)}</li>)}
              </ul>
            )}
          </div>
        )}
        {test && showStep && candidates && (
          <fieldset className="account-step">
            <legend>Lab account</legend>
            {candidates.map((c) => (
              <label key={c.lab_account_id} className="check">
                <input type="radio" name="lab_account" value={c.lab_account_id} checked={account === c.lab_account_id} disabled={!c.eligible} onChange={() => setAccount(c.lab_account_id)} />
                {' '}{c.account_name ?? c.lab_account_id} — {c.eligible ? 'eligible' : `not eligible: ${c.reasons.join(', ')} (${reasonText(c.reasons)})`}
              </label>
            ))}
          </fieldset>
        )}
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={!form.test}>Place order</button>
      </form>
    </section>
  );
}

function OrderPage(props: { apiKey: string; env: string; orderId: string; onBack: () => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const [order, setOrder] = useState<Order | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [accounts, setAccounts] = useState<LabAccount[]>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<'normal' | 'abnormal' | 'critical'>('normal');
  useEffect(() => {
    api.GET('/v3/lab_test/lab_account').then(({ data }) => setAccounts(data?.data ?? []));
  }, [api]);
  const [results, setResults] = useState<{ name: string; result: string; unit: string | null; reference_range: string | null; interpretation: string }[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => {
    const { data, error } = await api.GET('/v3/order/{order_id}', { params: { path: { order_id: props.orderId } } });
    if (!data) return setLoadError(errorMessage(error));
    setOrder(data);
    // Results exist only after a partial or final report; asking earlier would only be a 404.
    if (!data?.events.some((e) => /\.(partial_results|completed|corrected)$/.test(e.status))) return setResults(null);
    const r = await api.GET('/v3/order/{order_id}/result', { params: { path: { order_id: props.orderId } } });
    setResults(r.data ? (r.data.results as never) : null);
  }, [api, props.orderId]);
  useEffect(() => { void load(); }, [load]);
  const openPdf = async (kind: 'result' | 'requisition') => {
    const res = await fetch(`/v3/order/${props.orderId}/${kind}/pdf`, { headers: authHeaders(props.apiKey) });
    if (!res.ok) return setMessage('The PDF is not available yet.');
    window.open(URL.createObjectURL(await res.blob()), '_blank');
  };
  const act = async (action: 'cancel' | 'simulate') => {
    setBusy(true);
    const { error } = action === 'cancel'
      ? await api.POST('/v3/order/{order_id}/cancel', { params: { path: { order_id: props.orderId } } })
      : await api.POST('/v3/order/{order_id}/test', { params: { path: { order_id: props.orderId }, query: {} }, body: { interpretation: outcome } });
    setMessage(error ? errorMessage(error) : action === 'cancel' ? 'Order cancelled.' : 'Simulation complete: the lab’s results are in.');
    await load();
    setBusy(false);
  };
  if (loadError) return <p role="alert" className="error">{loadError}</p>;
  if (!order) return <p role="status">Loading…</p>;
  const account = accounts.find((a) => a.id === order.lab_account_id);
  const finished = /^(completed|cancelled|failed)$/.test(order.last_event.status.split('.')[0]);
  return (
    <section aria-labelledby="order-title">
      <button type="button" onClick={props.onBack}>← Orders</button>
      <h1 id="order-title">{order.lab_test.name}</h1>
      <dl className="config">
        <dt>Status</dt><dd>{order.last_event.status}</dd>
        <dt>Patient</dt><dd>{order.patient_details?.first_name} {order.patient_details?.last_name}</dd>
        <dt>Lab account</dt><dd>{account ? `${account.account_name ?? account.id} (account ${account.provider_account_id})` : order.lab_account_id} — {order.lab_account_resolution.replace(/_/g, ' ')}</dd>
        <dt>Sample id</dt><dd>{order.sample_id}</dd>
      </dl>
      <div className="toolbar">
        <button type="button" onClick={() => openPdf('requisition')}>Requisition PDF</button>
        <button type="button" onClick={() => openPdf('result')}>Result PDF</button>
        <button type="button" disabled={busy || finished} onClick={() => act('cancel')}>Cancel order</button>
        {props.env === 'sandbox' && (
          <>
            <label>Simulated results{' '}
              <select value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)}>
                <option value="normal">normal</option><option value="abnormal">abnormal</option><option value="critical">critical</option>
              </select>
            </label>
            <button type="button" disabled={busy || finished} onClick={() => act('simulate')}>Simulate lab processing</button>
          </>
        )}
      </div>
      {message && <p role="status" className="message">{message}</p>}
      <h2>Events</h2>
      <ol className="history">{order.events.map((e) => <li key={e.id}><time>{new Date(e.created_at).toLocaleString()}</time> — {e.status}</li>)}</ol>
      <h2>Results</h2>
      {!results ? <p>No results yet.</p> : (
        <div className="table-scroll"><table aria-label="Results">
          <thead><tr><th>Marker</th><th>Value</th><th>Unit</th><th>Range</th><th>Flag</th></tr></thead>
          <tbody>{results.map((r) => <tr key={r.name} className={`flag-${r.interpretation}`}><td>{r.name}</td><td>{r.result}</td><td>{r.unit}</td><td>{r.reference_range}</td><td>{r.interpretation === 'normal' ? '' : r.interpretation}</td></tr>)}</tbody>
        </table></div>
      )}
    </section>
  );
}
