// One outbox for every kind of outbound delivery (DESIGN.md "Outbox"): rows of named consumers (`webhook`
// today, lab transmission next) written in the transaction of the change they announce, claimed with a lease
// (src/db/outbox.ts). Webhook deliveries, the first consumer's rows, move here from webhook_deliveries with
// their ids (so the Svix message id of a pending delivery does not change); their attempt log stays the
// webhook module's own table, webhook_attempts, now pointing at the outbox row. Nothing reads
// webhook_deliveries any more, so it is dropped.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table outbox (
      id uuid primary key default gen_random_uuid(),
      seq bigserial not null,
      consumer text not null,
      subject text,
      payload text not null,
      status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
      attempts integer not null default 0,
      due_at timestamptz not null default now(),
      lease uuid,
      last_error text,
      created_at timestamptz not null default now(),
      completed_at timestamptz
    );
    create index outbox_due_idx on outbox (consumer, due_at) where status = 'pending';
    create index outbox_subject_idx on outbox (consumer, subject, seq) where status = 'pending';

    insert into outbox (id, consumer, subject, payload, status, attempts, due_at, last_error, created_at, completed_at)
      select id, 'webhook', endpoint_id::text, payload, case status when 'delivered' then 'done' else status end,
        attempts, next_attempt_at, last_error, created_at, coalesce(delivered_at, case when status = 'failed' then now() end)
      from webhook_deliveries
      order by seq;

    alter table webhook_attempts drop constraint webhook_attempts_delivery_id_fkey;
    alter table webhook_attempts add constraint webhook_attempts_delivery_id_fkey
      foreign key (delivery_id) references outbox (id) on delete cascade;
    drop table webhook_deliveries;
  `,
  );
}
