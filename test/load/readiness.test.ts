import { performance } from 'node:perf_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readinessSchema } from '../../src/config/schema.js';
import { waitUntilReady } from '../../src/load/readiness.js';
import { createProvider } from '../../src/providers/index.js';
import { startSimulator } from '../../src/sim/server.js';
import { testConfig } from '../helpers/scenario-run.js';

const clock = () => performance.now();
const fast = readinessSchema.parse({ timeout_s: 10, initial_interval_s: 0.05, max_interval_s: 0.2 });

describe('waitUntilReady', () => {
  it('waits through a cold start (HTTP 503 "not ready") and reports it as cold-start time', async () => {
    const sim = await startSimulator({ cold_start_s: 0.8 });
    const provider = createProvider(testConfig(sim.url).target, { clock, concurrency: 1 });
    const retries: string[] = [];
    try {
      const report = await waitUntilReady(provider, fast, {
        clock,
        onRetry: (reason) => retries.push(reason),
      });
      expect(report.ready).toBe(true);
      expect(report.coldStart).toBe(true);
      expect(report.probes).toBeGreaterThan(1);
      expect(report.waitedMs).toBeGreaterThanOrEqual(600);
      expect(retries[0]).toMatch(/503/);
    } finally {
      await provider.close();
      await sim.close();
    }
  });

  it('is immediate and not a cold start when the endpoint answers at once', async () => {
    const sim = await startSimulator({});
    const provider = createProvider(testConfig(sim.url).target, { clock, concurrency: 1 });
    try {
      const report = await waitUntilReady(provider, fast, { clock });
      expect(report).toMatchObject({ ready: true, coldStart: false, probes: 1 });
    } finally {
      await provider.close();
      await sim.close();
    }
  });

  it('retries refused connections until the server appears, then gives up at the timeout', async () => {
    // Find a free port, close it: connections are refused until something listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const provider = createProvider(testConfig(`http://127.0.0.1:${port}/v1`).target, {
      clock,
      concurrency: 1,
    });
    try {
      const report = await waitUntilReady(
        provider,
        readinessSchema.parse({ timeout_s: 0.4, initial_interval_s: 0.05 }),
        {
          clock,
        },
      );
      expect(report.ready).toBe(false);
      expect(report.fatal).toBeUndefined();
      expect(report.probes).toBeGreaterThan(2);
      expect(report.lastReason).toMatch(/refused/i);
    } finally {
      await provider.close();
    }
  });

  it('gives up at once when waiting cannot help (HTTP 404: wrong URL or model)', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'The model `nope` does not exist.' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const provider = createProvider(testConfig(`http://127.0.0.1:${port}/v1`).target, {
      clock,
      concurrency: 1,
    });
    try {
      const report = await waitUntilReady(provider, fast, { clock });
      expect(report).toMatchObject({ ready: false, fatal: true, probes: 1 });
      expect(report.lastReason).toMatch(/404.*does not exist/);
    } finally {
      await provider.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
