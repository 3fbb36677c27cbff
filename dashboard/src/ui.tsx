// Pieces every page shares: loading data with its loading and error states, and the page heading that takes
// focus so keyboard and screen-reader users land on the page they just opened.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, UNREACHABLE } from './api';

/** The data of an openapi-fetch answer, or an Error with the API's message. */
export function dataOf<T>(result: { data?: T; error?: unknown }): T {
  if (result.data === undefined) throw new Error(errorMessage(result.error));
  return result.data;
}

export async function unwrap<T>(request: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  return dataOf(await request);
}

/** The message of anything a request threw: fetch itself throws a TypeError when the server is unreachable. */
export function thrownMessage(error: unknown): string {
  if (error instanceof TypeError) return UNREACHABLE;
  return error instanceof Error ? error.message : String(error);
}

export interface Loaded<T> {
  value: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
}

/** Runs `load` now and whenever it changes; an answer that arrives after a newer request started is dropped. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ value: T | undefined; error: string | null; loading: boolean }>({
    value: undefined,
    error: null,
    loading: true,
  });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const run = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const value = await load();
      if (run === latest.current) setState({ value, error: null, loading: false });
    } catch (e) {
      if (run === latest.current) setState((s) => ({ ...s, error: thrownMessage(e), loading: false }));
    }
  }, [load]);
  useEffect(() => {
    void reload();
    return () => {
      latest.current++;
    };
  }, [reload]);
  return { ...state, reload };
}

/**
 * One user action at a time (a form's submit, a button): `busy` names the running action, and a failure —
 * an API error thrown with `failure` before its message, or an unreachable server — becomes `error`.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (name: string, failure: string, action: () => Promise<void>) => {
    setError(null);
    setBusy(name);
    try {
      await action();
    } catch (e) {
      setError(e instanceof TypeError ? thrownMessage(e) : `${failure}: ${thrownMessage(e)}`);
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, setError, run };
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      Loading {what}…
    </p>
  );
}

export function ErrorAlert({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="error">
      {children}
    </p>
  );
}

/** Loading and error states of one load, labelled with what is being loaded. */
export function LoadState({ loaded, what }: { loaded: Pick<Loaded<unknown>, 'loading' | 'error'>; what: string }) {
  if (loaded.error)
    return (
      <ErrorAlert>
        Could not load {what}: {loaded.error}
      </ErrorAlert>
    );
  if (loaded.loading) return <Loading what={what} />;
  return null;
}

export function PageHeading({ id, children }: { id: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 id={id} ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
