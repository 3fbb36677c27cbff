// The `labroute` command line (CONTRACT.md "Command line"): `serve`, `migrate` and `seed --demo` work on the
// database directly; operator commands talk HTTP to a running server (LABROUTE_URL, LABROUTE_OPERATOR_KEY).
// Flags are the API's JSON fields in kebab case; `--json` prints the response body. Exit 0 on success,
// non-zero with a one-line reason on error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { createDatabase } from '../db/database.js';

const USAGE = `Usage: labroute <command> [flags]
  serve                                   run the server (what npm start runs)
  migrate                                 apply database migrations
  seed --demo                             create the demo data if it is not there yet
  org create --name NAME
  management-key create --org ORG_ID --label LABEL --role org_admin|team_admin [--team-role-bindings ID,ID]
  lab-account create --org-id ORG_ID|null --env ENV --region REGION --lab LAB --status STATUS \\
                     --delegated-flow FLOW --provider-account-id NUM --allowed-billing JSON [--team-id-allowlist ID,ID] ...
  lab-account update --id ID [--status S] [--delegated-flow F] [--allowed-billing JSON] ...
  lab-account list [--org-id ID] [--env ENV] [--region REGION] [--lab LAB] [--status S]
  lab-test create --env ENV --region REGION --lab LAB --name NAME --method M --sample-type T --markers JSON [--price N]
  result deliver --file DELIVERY.json
  order event --order-id ID --status STATUS [--status-detail D]
Operator commands use LABROUTE_URL (default http://127.0.0.1:8000) and LABROUTE_OPERATOR_KEY.
Add --json to print the API's response body.`;

class CliError extends Error {}

const JSON_FIELDS = new Set(['allowed_billing', 'markers', 'business_units', 'team_role_bindings', 'team_id_allowlist', 'results']);
const LIST_FIELDS = new Set(['team_id_allowlist', 'business_units']);
const NUMBER_FIELDS = new Set(['price']);
const BOOLEAN_FIELDS = new Set(['fasting']);

/** `--provider-account-id X` → {provider_account_id: 'X'}; JSON, list, number and null values decoded. */
export function flagsToBody(flags: Record<string, string | boolean | undefined>, skip: string[] = []): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [flag, raw] of Object.entries(flags)) {
    if (raw === undefined || skip.includes(flag) || flag === 'json') continue;
    const field = flag.replace(/-/g, '_');
    if (typeof raw === 'boolean') {
      body[field] = raw;
      continue;
    }
    if (raw === 'null') body[field] = null;
    else if (JSON_FIELDS.has(field) && /^\s*[[{]/.test(raw)) body[field] = parseJson(raw, flag);
    else if (LIST_FIELDS.has(field))
      body[field] = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (NUMBER_FIELDS.has(field)) body[field] = Number(raw);
    else if (BOOLEAN_FIELDS.has(field)) body[field] = raw === 'true';
    else body[field] = raw;
  }
  return body;
}

function parseJson(raw: string, flag: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new CliError(`--${flag} is not valid JSON`);
  }
}

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const base = (process.env.LABROUTE_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
  const key = process.env.LABROUTE_OPERATOR_KEY;
  if (!key) throw new CliError('LABROUTE_OPERATOR_KEY is not set');
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: { 'x-operator-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new CliError(`cannot reach ${base}: ${(error as Error).message}`);
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const detail = (parsed as { detail?: unknown; code?: string } | null)?.detail;
    const reason =
      typeof detail === 'string'
        ? detail
        : Array.isArray(detail)
          ? detail.map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join('.')}: ${d.msg}`).join('; ')
          : text.slice(0, 200);
    const code = (parsed as { code?: string } | null)?.code;
    throw new CliError(`${res.status}${code ? ` ${code}` : ''}: ${reason}`);
  }
  return parsed;
}

// biome-ignore lint/suspicious/noExplicitAny: each command formats the fields of its own answer
type LineOf = (r: any) => string;

function output(result: unknown, json: boolean, line: LineOf): void {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${line(result)}\n`);
}

async function withDatabase<T>(
  work: (db: Awaited<ReturnType<typeof createDatabase>>, config: ReturnType<typeof loadConfig>) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : resolve(config.dataDir, 'db'),
    poolSize: 2,
  });
  try {
    return await work(database, config);
  } finally {
    await database.close();
  }
}

const BOOLEAN_FLAGS = new Set(['json', 'demo', 'help']);

/**
 * `--flag value`, `--flag=value` and boolean `--json` / `--demo`. node:util parseArgs would need every flag
 * declared up front; here flags mirror the API's JSON fields, so any field can be passed.
 */
export function parseCommandLine(argv: string[]): { positionals: string[]; flags: Record<string, string | boolean> } {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    if (eq > 0) {
      flags[token.slice(2, eq)] = token.slice(eq + 1);
      continue;
    }
    const name = token.slice(2);
    const next = argv[i + 1];
    if (BOOLEAN_FLAGS.has(name) || next === undefined || next.startsWith('--')) flags[name] = true;
    else {
      flags[name] = next;
      i += 1;
    }
  }
  return { positionals, flags };
}

/** Runs one command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { positionals, flags } = parseCommandLine(argv);
  const json = flags.json === true;
  const [command, sub] = positionals;
  try {
    switch (`${command ?? ''} ${sub ?? ''}`.trim()) {
      case 'serve': {
        const { startServer } = await import('../server.js');
        const { default: closeWithGrace } = await import('close-with-grace');
        const server = await startServer(loadConfig());
        closeWithGrace({ delay: 10_000 }, async () => server.close());
        return 0;
      }
      case 'migrate':
        await withDatabase(async (database) => database.migrate());
        process.stdout.write('migrations applied\n');
        return 0;
      case 'seed': {
        if (flags.demo !== true) throw new CliError('seed needs --demo');
        const { buildApp } = await import('../app.js');
        const { seedDemoOnFirstStart } = await import('../demo/seed-demo.js');
        await withDatabase(async (database, config) => {
          await database.migrate();
          const app = await buildApp({ config, database, logger: false });
          try {
            const keys = await seedDemoOnFirstStart({ app, database, config, baseUrl: `http://${config.host}:${config.port}` });
            if (!keys) process.stdout.write('demo data already present\n');
          } finally {
            await app.close();
          }
        });
        return 0;
      }
      case 'org create': {
        if (typeof flags.name !== 'string') throw new CliError('--name is required');
        output(await api('POST', '/operator/v1/orgs', { name: flags.name }), json, (r) => `org ${r.id} (${r.name})`);
        return 0;
      }
      case 'management-key create': {
        const body = flagsToBody(flags, ['org', 'team-role-bindings']);
        const org = flags.org ?? flags['org-id'];
        if (typeof org !== 'string') throw new CliError('--org is required');
        delete body.org_id;
        if (typeof flags['team-role-bindings'] === 'string') {
          const raw = flags['team-role-bindings'];
          body.team_role_bindings = /^\s*\[/.test(raw)
            ? parseJson(raw, 'team-role-bindings')
            : raw.split(',').map((team_id) => ({ team_id: team_id.trim() }));
        }
        output(await api('POST', `/operator/v1/orgs/${org}/management_keys`, body), json, (r) => `${r.role} key ${r.id}: ${r.key}`);
        return 0;
      }
      case 'lab-account create': {
        const body = flagsToBody(flags);
        if (!('org_id' in body)) throw new CliError('--org-id is required (use null for a platform account)');
        output(
          await api('POST', '/operator/v1/lab_accounts', body),
          json,
          (r) => `lab account ${r.id} (${r.lab} ${r.provider_account_id}, ${r.status})`,
        );
        return 0;
      }
      case 'lab-account update': {
        if (typeof flags.id !== 'string') throw new CliError('--id is required');
        output(
          await api('PATCH', `/operator/v1/lab_accounts/${flags.id}`, flagsToBody(flags, ['id'])),
          json,
          (r) => `lab account ${r.id}: ${r.status}, ${r.delegated_flow}`,
        );
        return 0;
      }
      case 'lab-account list': {
        const query = new URLSearchParams();
        for (const [field, value] of Object.entries(flagsToBody(flags))) query.append(field, String(value));
        const result = (await api('GET', `/operator/v1/lab_accounts${query.size ? `?${query}` : ''}`)) as {
          data: { id: string; lab: string; provider_account_id: string; status: string; org_id: string | null }[];
        };
        output(
          result,
          json,
          (r) =>
            r.data
              .map(
                (a: (typeof result.data)[number]) => `${a.id}  ${a.lab}  ${a.provider_account_id}  ${a.status}  ${a.org_id ?? 'platform'}`,
              )
              .join('\n') || '(none)',
        );
        return 0;
      }
      case 'lab-test create':
        output(await api('POST', '/operator/v1/lab_tests', flagsToBody(flags)), json, (r) => `lab test ${r.id} (${r.name})`);
        return 0;
      case 'result deliver': {
        if (typeof flags.file !== 'string') throw new CliError('--file is required');
        let body: unknown;
        try {
          body = JSON.parse(readFileSync(flags.file, 'utf8'));
        } catch (error) {
          throw new CliError(`cannot read ${flags.file}: ${(error as Error).message}`);
        }
        output(await api('POST', '/operator/v1/results', body), json, (r) =>
          r.matched_order_id ? `attached to order ${r.matched_order_id}` : `queued as unmatched result ${r.unmatched_result_id}`,
        );
        return 0;
      }
      case 'order event': {
        const orderId = flags['order-id'] ?? flags.id;
        if (typeof orderId !== 'string') throw new CliError('--order-id is required');
        output(
          await api('POST', `/operator/v1/orders/${orderId}/events`, flagsToBody(flags, ['order-id', 'id'])),
          json,
          (r) => `order ${r.id}: ${r.last_event.status}`,
        );
        return 0;
      }
      default:
        process.stderr.write(`${command ? `unknown command: ${positionals.join(' ')}\n` : ''}${USAGE}\n`);
        return command ? 2 : 0;
    }
  } catch (error) {
    const message =
      error instanceof CliError || error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`labroute: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

// Run directly with tsx during development and tests: `tsx src/cli/main.ts …`.
if (process.argv[1] && /src[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
