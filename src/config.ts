// Reads and checks the environment once at start-up (CONTRACT.md "Configuration"); a bad value stops the
// process with a message naming the variable instead of failing later.
import { z } from 'zod';

const physicianSchema = z.object({
  first_name: z.string().min(1),
  last_name: z.string().min(1),
  npi: z.string().min(1),
});

export type PlatformPhysician = z.infer<typeof physicianSchema>;

const DEFAULT_PHYSICIAN: PlatformPhysician = { first_name: 'Dana', last_name: 'Whitfield', npi: '1234567893' };

const retrySchedule = z
  .string()
  .regex(/^\s*\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*)*$/, 'comma-separated seconds')
  .transform((s) => s.split(',').map((part) => Number(part.trim())));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  LABROUTE_DATA_DIR: z.string().min(1).default('./.labroute'),
  LABROUTE_OPERATOR_KEY: z.string().min(1).optional(),
  LABROUTE_DEMO: z.string().default('1'),
  LABROUTE_PLATFORM_PHYSICIAN: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return DEFAULT_PHYSICIAN;
      try {
        return physicianSchema.parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON {first_name, last_name, npi}' });
        return z.NEVER;
      }
    }),
  LABROUTE_WEBHOOK_RETRY_SCHEDULE: retrySchedule.default([0, 5, 300, 1800, 7200, 18000, 36000, 36000]),
  LABROUTE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1).default(15000),
  LABROUTE_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  LABROUTE_WEBHOOK_DISPATCHER: z.string().default('1'),
  LABROUTE_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().min(0).default(1000),
  LABROUTE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Labroute's settings, derived from the environment. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  operatorKey?: string;
  demo: boolean;
  platformPhysician: PlatformPhysician;
  webhookRetryScheduleSeconds: number[];
  webhookTimeoutMs: number;
  webhookAllowPrivate: boolean;
  /** This process delivers webhooks (LABROUTE_WEBHOOK_DISPATCHER ≠ `0`; docs/operators.md). It enqueues them either way. */
  webhookDispatcher: boolean;
  maxEventLoopDelayMs: number;
  dbPoolSize: number;
  logLevel: string;
}

export class ConfigError extends Error {}

/** Parses `env` into a Config, or throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.LABROUTE_DATA_DIR,
    operatorKey: e.LABROUTE_OPERATOR_KEY,
    demo: e.LABROUTE_DEMO !== '0',
    platformPhysician: e.LABROUTE_PLATFORM_PHYSICIAN,
    webhookRetryScheduleSeconds: e.LABROUTE_WEBHOOK_RETRY_SCHEDULE,
    webhookTimeoutMs: e.LABROUTE_WEBHOOK_TIMEOUT_MS,
    webhookAllowPrivate: e.LABROUTE_WEBHOOK_ALLOW_PRIVATE === '1',
    webhookDispatcher: e.LABROUTE_WEBHOOK_DISPATCHER !== '0',
    maxEventLoopDelayMs: e.LABROUTE_MAX_EVENT_LOOP_DELAY_MS,
    dbPoolSize: e.LABROUTE_DB_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
  };
}
