// Demo data for a first start (filled in by the demo-data work).
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';

export interface DemoOptions {
  database: DatabaseHandle;
  config: Config;
  baseUrl: string;
}

export async function seedDemoOnFirstStart(_options: DemoOptions): Promise<void> {}
