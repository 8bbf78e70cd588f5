/**
 * The worker-thread entry of parallel exploration (X4): run this worker's share of the units
 * and post the partial result back. Only ever loaded from the compiled `dist/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runShare, type WorkerInput } from './parallel.js';

parentPort?.postMessage(runShare(workerData as WorkerInput));
