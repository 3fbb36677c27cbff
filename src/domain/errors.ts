// The error catalogue: every business error Labroute returns has a stable string code and one HTTP status.
// Handlers throw AppError; the HTTP layer renders `{detail, code, request_id, ...extra}`.

/** Code → HTTP status, and when each is thrown. */
export const ERROR_STATUS = {
  /** No key, an unknown or expired key, or a key of the wrong kind for this API. */
  unauthorized: 401,
  /** A valid key whose role can never use this route. */
  forbidden: 403,
  /** Generic: the object does not exist or is not visible to the caller. */
  not_found: 404,
  lab_account_not_found: 404,
  order_not_found: 404,
  user_not_found: 404,
  lab_test_not_found: 404,
  team_not_found: 404,
  management_key_not_found: 404,
  unmatched_result_not_found: 404,
  /** Result endpoints before any result arrived. */
  results_not_ready: 404,
  /** PATCH team_id_allowlist names teams outside the org / outside the account's region. */
  teams_not_in_org: 400,
  teams_not_in_region: 400,
  // Lab-account resolution on order placement (SPEC.md §3).
  lab_account_lab_mismatch: 400,
  lab_account_not_active: 400,
  billing_type_not_allowed: 400,
  physician_required: 400,
  no_lab_account_available: 400,
  no_active_lab_account: 400,
  no_eligible_lab_account: 400,
  lab_account_ambiguous: 400,
  // Test selection.
  multiple_labs: 400,
  multiple_collection_methods: 400,
  collection_method_mismatch: 400,
  lab_account_conflict: 400,
  add_on_invalid: 400,
  // Other order rules.
  minor_not_allowed: 400,
  medical_proxy_required: 400,
  icd_codes_required: 400,
  cancel_not_allowed: 400,
  sandbox_only: 400,
  invalid_status_transition: 400,
  lab_account_mismatch: 400,
  bad_request: 400,
  idempotency_key_reused: 409,
  idempotency_request_in_progress: 409,
  platform_account_exists: 409,
  provider_account_id_taken: 409,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  rate_limited: 429,
  overloaded: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A business error with a catalogue code. `extra` fields are merged into the response body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.extra = extra;
    this.headers = headers;
  }
}

/**
 * An error whose body is Junction's own, not the catalogue shape (duplicate client_user_id → 400
 * ClientUserIDConflictResponse, duplicate integration_team_id → 409 {team_id}).
 */
export class RawBodyError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, message = 'raw error') {
    super(message);
    this.name = 'RawBodyError';
    this.status = status;
    this.body = body;
  }
}

/** Shorthand for the 404 that never reveals whether the object exists elsewhere. */
export function notFound(code: Extract<ErrorCode, `${string}not_found`> = 'not_found', what = 'Object'): AppError {
  return new AppError(code, `${what} not found`);
}

/**
 * An input field that breaks a rule its schema cannot express (a US zip code in the us region). The HTTP layer
 * renders it as one 422 ValidationError at the field's place in the body.
 */
export class InvalidFieldError extends Error {
  constructor(
    /** The field's path in the request body, e.g. ['patient_address', 'zip']. */
    readonly field: readonly (string | number)[],
    /** pydantic's error type, e.g. 'string_pattern_mismatch'. */
    readonly type: string,
    message: string,
    readonly ctx?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'InvalidFieldError';
  }
}

/** Seconds a client turned away by load shedding is asked to wait before retrying. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 1;

/** The answer of every load-shedding path: 503 `overloaded` with Retry-After. */
export function overloaded(): AppError {
  return new AppError('overloaded', 'Service is overloaded, retry later', {}, { 'retry-after': String(OVERLOADED_RETRY_AFTER_SECONDS) });
}

/** True for the errors that reject one request by a rule (as opposed to a failure of the system). */
export function isDomainError(error: unknown): boolean {
  return error instanceof AppError || error instanceof InvalidFieldError || error instanceof RawBodyError;
}
