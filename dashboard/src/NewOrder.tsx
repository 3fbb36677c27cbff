// A new order for a new or existing patient. Once the form is complete, a dry run says which lab account will
// take it (AccountChoice); the account step appears whenever more than one active account of the order's lab
// is linked to the team (SPEC.md §4), and the chosen account is sent as `lab_account_id`.
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { AccountChoice, type DryRun } from './AccountChoice';
import { client, errorCandidates, errorMessage, type Schemas } from './api';
import { resolutionText } from './orderText';
import { ErrorAlert, LoadState, PageHeading, thrownMessage, unwrap, useLoad } from './ui';

type Billing = Schemas['Billing'];
type Gender = Schemas['Gender'];
type OrderBody = Schemas['CreateOrderRequestCompatible'];
const BILLING: Billing[] = ['client_bill', 'commercial_insurance', 'patient_bill', 'patient_bill_passthrough'];
const GENDERS: Gender[] = ['female', 'male', 'other', 'unknown'];

const EMPTY = {
  user: '',
  newUser: '',
  test: '',
  first: '',
  last: '',
  dob: '',
  phone: '',
  email: '',
  line: '',
  city: '',
  state: '',
  zip: '',
  country: 'US',
  icd: '',
  physicianFirst: '',
  physicianLast: '',
  npi: '',
};
type TextField = keyof typeof EMPTY;

export function NewOrder(props: { apiKey: string; onPlaced: (orderId: string) => void }) {
  const api = useMemo(() => client(props.apiKey), [props.apiKey]);
  const tests = useLoad(useCallback(() => unwrap(api.GET('/v3/lab_tests')), [api]));
  const accounts = useLoad(useCallback(async () => (await unwrap(api.GET('/v3/lab_test/lab_account'))).data, [api]));
  const users = useLoad(useCallback(async () => (await unwrap(api.GET('/v2/user'))).users, [api]));
  const [form, setForm] = useState(EMPTY);
  const [billing, setBilling] = useState<Billing>('client_bill');
  const [gender, setGender] = useState<Gender>('female');
  const [createdUser, setCreatedUser] = useState<{ clientUserId: string; userId: string } | null>(null);
  const [dryRun, setDryRun] = useState<DryRun>({ state: 'idle' });
  const [account, setAccount] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const test = tests.value?.find((t) => t.id === form.test);
  const activeForLab = (accounts.value ?? []).filter((a) => a.status === 'active' && a.lab === test?.lab?.slug);
  const showStep = activeForLab.length > 1;
  const complete = Boolean(
    test &&
      (form.user || form.newUser) &&
      form.first &&
      form.last &&
      form.dob &&
      form.phone &&
      form.email &&
      form.line &&
      form.city &&
      form.state &&
      form.zip &&
      form.country,
  );
  // The dry run needs the patient to exist: a new patient is created once the form is complete (and reused,
  // or found by its id if it already exists, so going back and forth does not create duplicates).
  const userId = form.user || (createdUser?.clientUserId === form.newUser ? createdUser.userId : '');

  const body = useCallback(
    (forUser: string): OrderBody => ({
      user_id: forUser,
      order_set: { lab_test_ids: [form.test] },
      collection_method: test?.method,
      billing_type: billing,
      ...(billing === 'commercial_insurance'
        ? {
            icd_codes: form.icd
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean),
          }
        : {}),
      patient_details: { first_name: form.first, last_name: form.last, dob: form.dob, gender, phone_number: form.phone, email: form.email },
      patient_address: { first_line: form.line, city: form.city, state: form.state, zip: form.zip, country: form.country },
      ...(form.npi ? { physician: { first_name: form.physicianFirst, last_name: form.physicianLast, npi: form.npi } } : {}),
    }),
    [form, test, billing, gender],
  );

  useEffect(() => {
    if (!complete || userId || !form.newUser) return;
    let current = true;
    (async () => {
      const created = await api.POST('/v2/user', { body: { client_user_id: form.newUser } });
      const id =
        created.data?.user_id ??
        (await unwrap(api.GET('/v2/user/resolve/{client_user_id}', { params: { path: { client_user_id: form.newUser } } }))).user_id;
      if (current) setCreatedUser({ clientUserId: form.newUser, userId: id });
    })().catch((e: unknown) => {
      if (current) setError(`Could not create the patient: ${thrownMessage(e)}`);
    });
    return () => {
      current = false;
    };
  }, [api, complete, userId, form.newUser]);

  useEffect(() => {
    if (!complete || !userId) return setDryRun({ state: 'idle' });
    let current = true;
    setDryRun({ state: 'checking' });
    // A short pause lets typing settle before asking, so each keystroke does not start a dry run.
    const timer = setTimeout(() => {
      api
        .POST('/v3/order/resolve_lab_account', { body: body(userId) })
        .then(({ data, error: err }) => {
          if (!current) return;
          const lab = test?.lab?.name ?? 'lab';
          if (data) {
            setDryRun({
              state: 'usable',
              candidates: data.candidates,
              text: `This order will use ${data.lab_account.account_name ?? data.lab_account_id} (account ${data.lab_account.provider_account_id}): ${resolutionText(data.lab_account_resolution, lab)}.`,
            });
          } else {
            setDryRun({
              state: 'unusable',
              candidates: errorCandidates(err),
              text: `No lab account can take this order: ${errorMessage(err)}`,
            });
          }
          const eligible = (data?.candidates ?? errorCandidates(err)).filter((c) => c.eligible);
          setAccount(eligible.length === 1 ? eligible[0].lab_account_id : '');
        })
        .catch((e: unknown) => {
          if (current) setDryRun({ state: 'unusable', candidates: [], text: thrownMessage(e) });
        });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, body, complete, userId, test]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (showStep && !account) return setError('Choose the lab account for this order.');
    setBusy(true);
    try {
      let forUser = userId;
      if (!forUser) {
        const created = await unwrap(api.POST('/v2/user', { body: { client_user_id: form.newUser || `patient-${Date.now()}` } }));
        forUser = created.user_id;
      }
      const { data, error: err } = await api.POST('/v3/order', {
        body: { ...body(forUser), ...(showStep ? { lab_account_id: account } : {}) },
      });
      if (data) props.onPlaced(data.order.id);
      else setError(`The order was not placed: ${errorMessage(err)}`);
    } catch (e) {
      setError(thrownMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: TextField, label: string, type = 'text', autoComplete = 'off') => (
    <label className="field">
      {label}
      <input
        name={name}
        type={type}
        autoComplete={autoComplete}
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
    </label>
  );
  return (
    <section aria-labelledby="new-title">
      <PageHeading id="new-title">New order</PageHeading>
      <LoadState loaded={tests} what="the test catalogue" />
      <LoadState loaded={accounts} what="the team’s lab accounts" />
      <LoadState loaded={users} what="patients" />
      <form onSubmit={submit} className="order-form" aria-labelledby="new-title">
        <fieldset>
          <legend>Test and billing</legend>
          <label className="field full">
            Test
            <select name="test" value={form.test} onChange={(e) => setForm({ ...form, test: e.target.value })}>
              <option value="">Choose a test</option>
              {(tests.value ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} — {t.lab?.name} ({t.method})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Billing type
            <select name="billing" value={billing} onChange={(e) => setBilling(e.target.value as Billing)}>
              {BILLING.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </label>
          {billing === 'commercial_insurance' && field('icd', 'ICD-10 codes (comma-separated)')}
        </fieldset>
        <fieldset>
          <legend>Patient</legend>
          <label className="field">
            Patient
            <select name="user" value={form.user} onChange={(e) => setForm({ ...form, user: e.target.value })}>
              <option value="">New patient</option>
              {(users.value ?? []).map((u) => (
                <option key={u.user_id} value={u.user_id}>
                  {u.client_user_id}
                </option>
              ))}
            </select>
          </label>
          {!form.user && field('newUser', 'New patient id (client_user_id)')}
          {field('first', 'First name')}
          {field('last', 'Last name')}
          {field('dob', 'Date of birth', 'date')}
          <label className="field">
            Sex
            <select name="gender" value={gender} onChange={(e) => setGender(e.target.value as Gender)}>
              {GENDERS.map((g) => (
                <option key={g}>{g}</option>
              ))}
            </select>
          </label>
          {field('phone', 'Phone', 'tel')}
          {field('email', 'Email', 'email')}
          {field('line', 'Address')}
          {field('city', 'City')}
          {field('state', 'State (2 letters)')}
          {field('zip', 'ZIP')}
          {field('country', 'Country')}
        </fieldset>
        <fieldset>
          <legend>Physician (needed for delegated accounts)</legend>
          {field('physicianFirst', 'First name')}
          {field('physicianLast', 'Last name')}
          {field('npi', 'NPI')}
        </fieldset>
        <AccountChoice dryRun={test ? dryRun : { state: 'idle' }} showStep={showStep} chosen={account} onChoose={setAccount} />
        {error && <ErrorAlert>{error}</ErrorAlert>}
        <button type="submit" disabled={!form.test || busy}>
          {busy ? 'Placing the order…' : 'Place order'}
        </button>
        {busy && (
          <p role="status" className="loading">
            Placing the order…
          </p>
        )}
      </form>
    </section>
  );
}
