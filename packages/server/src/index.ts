export { createApps } from './app.js';
export type { AppOptions, Apps } from './app.js';
export { loadConfig } from './config.js';
export type { Config } from './config.js';
export { startDatafirst, MOCK_PATH } from './server.js';
export type { RunningDatafirst } from './server.js';
export { DeliveryWorker } from './worker/delivery-worker.js';
