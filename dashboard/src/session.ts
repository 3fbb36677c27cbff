// A team session opened from the org view: a short-lived access token and what the header shows of it.
export interface TeamSession {
  token: string;
  label: string;
  env: string;
  expiresAt: number;
}
