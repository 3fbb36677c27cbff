// GET /v3/orders answers with the number of the team's orders (Junction's `total`). Counting them on every page
// read all of the team's index entries: bench:scale (2026-12-03) measured page 1 at 1.4–1.5× its near-empty
// time with ~10,000 of the team's orders among a million (2.3 → 7.0 ms, 522 → 1,277 buffer hits). The count
// is now kept beside the orders, in parts, and a team's total is the sum of its parts, read in the same snapshot
// as the page.
//
// The statement that writes orders (writeOrders in place-order.ts) adds them to its backend's part
// (`shard` = its pid). A backend runs one transaction at a time, so concurrent placements for one team never
// wait on each other's count. Parts of backends that are gone are folded into shard 0 by compactOrderCounts
// (orders.repository.ts) when a read finds many. The count is added in that statement rather than by an insert
// trigger: a statement trigger with a transition table cost PostgreSQL 30–95 µs of CPU per order and 3–17% of
// placement throughput in an interleaved A/B, the added CTE nothing measurable.
//
// Deletes and TRUNCATE (never done by Labroute, possible by an operator in SQL) are counted by triggers. An
// order's team and environment never change; an UPDATE of either in SQL would leave the count stale, and a
// trigger on every UPDATE would tax each status change. Orders inserted in SQL must add to order_counts too.
import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table order_counts (
      team_id uuid not null,
      env text not null,
      shard integer not null,
      n bigint not null,
      primary key (team_id, env, shard)
    );

    create function order_counts_subtract() returns trigger language plpgsql as $$
    begin
      if tg_op = 'TRUNCATE' then
        delete from order_counts;
      else
        insert into order_counts as c (team_id, env, shard, n)
          select team_id, env, pg_backend_pid(), -count(*) from deleted_orders group by team_id, env
          on conflict (team_id, env, shard) do update set n = c.n + excluded.n;
      end if;
      return null;
    end
    $$;

    create trigger orders_count_delete after delete on orders referencing old table as deleted_orders
      for each statement execute function order_counts_subtract();
    create trigger orders_count_truncate after truncate on orders
      for each statement execute function order_counts_subtract();

    insert into order_counts (team_id, env, shard, n) select team_id, env, 0, count(*) from orders group by team_id, env;
  `,
  );
}
