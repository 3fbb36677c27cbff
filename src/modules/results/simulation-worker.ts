// Background work of one instance: due sandbox-simulation steps (persisted, so a restart resumes them) and
// production orders whose activate_by day has come. Several instances may run it at once: steps are claimed
// with SKIP LOCKED and activation re-checks the status under a row lock.
import type { FastifyInstance } from 'fastify';
import { activateScheduledOrders, runDueSimulationSteps } from './simulate-order.js';

const STEP_INTERVAL_MS = 500;
const ACTIVATION_INTERVAL_MS = 60_000;

export function registerSimulationWorker(app: FastifyInstance): void {
  let timers: NodeJS.Timeout[] = [];
  let busy = false;
  const guarded = (work: () => Promise<unknown>) => async () => {
    if (busy) return;
    busy = true;
    try {
      await work();
    } catch (error) {
      app.log.warn({ err: error }, 'background work failed; retrying on the next tick');
    } finally {
      busy = false;
    }
  };
  app.addHook('onReady', async () => {
    const services = { db: app.deps.database.db, orderEvents: app.orderEvents };
    timers = [
      setInterval(
        guarded(() => runDueSimulationSteps(services)),
        STEP_INTERVAL_MS,
      ),
      setInterval(
        guarded(() => activateScheduledOrders(services)),
        ACTIVATION_INTERVAL_MS,
      ),
    ];
    for (const timer of timers) timer.unref();
  });
  app.addHook('onClose', async () => {
    for (const timer of timers) clearInterval(timer);
    timers = [];
  });
}
