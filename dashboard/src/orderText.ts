// Lab-account resolution in words: why an account was chosen, and why a candidate cannot take an order
// (SPEC.md §3).

const REASONS: Record<string, string> = {
  billing_type_not_allowed: 'its billing types do not include this one in the patient’s state',
  lab_account_not_active: 'it is not active',
  physician_required: 'it is delegated: the order needs a physician',
  lab_account_lab_mismatch: 'it is for another lab',
};

export const reasonText = (reasons: string[]) => reasons.map((r) => REASONS[r] ?? r).join('; ');

/** Why resolution picked the account. */
export function resolutionText(resolution: string, lab: string): string {
  switch (resolution) {
    case 'explicit':
      return 'it was chosen for this order';
    case 'only_active':
      return `it is the only active ${lab} account linked to this team`;
    case 'only_eligible':
      return `it is the only linked ${lab} account that can take this order`;
    case 'platform_default':
      return `no ${lab} account is linked to this team, so the platform’s account is used`;
    default:
      return resolution;
  }
}

const TERMINAL = /^(completed|cancelled|failed)$/;

/** `completed.walk_in_test.completed` → `completed`: no further step can come. */
export const isFinished = (status: string) => TERMINAL.test(status.split('.')[0]);
