/**
 * `POST /api/quotes` throughput and p99 latency against a bare Fastify JSON route served by
 * the same process in the same run, driven by the same load tool (autocannon). Every
 * connection cycles through the same 97 yuan amounts (¥19.77 to ¥965,456.08, all three fee bands,
 * minimum fee included) for both targets, so each quote is priced from its own amount. A
 * third run, for reference only, has the bare route answer one precomputed quote: what the
 * size of the answer (about 2 KB against 70 bytes) costs by itself.
 *
 *   npm run bench:quotes                  # 10 s per target, 10 connections
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=20 npm run bench:quotes
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { loadConfig } from '../src/app/config.ts';
import { createLogger } from '../src/app/logger.ts';
import { startPlatform } from '../src/app/platform.ts';
import { openDatabase } from '../src/db/database.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const run = promisify(execFile);
const RUNNER = path.resolve(import.meta.dirname, 'autocannon-run.mjs');

/**
 * Invoice amounts in fen, spread over five orders of magnitude (¥19.77 … ¥965,456.08): a fixed
 * pseudo-random sequence (a linear congruential generator on bigints), the same every run.
 */
function benchAmounts(count = 97): string[] {
  const amounts: string[] = [];
  let x = 20261201n;
  for (let i = 0; i < count; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
    const magnitude = 10n ** BigInt(3 + (i % 5)); // ¥10, ¥100, … ¥100,000
    amounts.push((magnitude + (x % (magnitude * 9n))).toString());
  }
  return amounts;
}

/** autocannon in its own process, so the load generator does not share the server's event loop. */
async function load(name: string, url: string, bodies: string[]): Promise<Result> {
  const { stdout } = await run(process.execPath, [RUNNER, JSON.stringify({ url, connections: CONNECTIONS, duration: SECONDS, bodies })], { maxBuffer: 64 * 1024 * 1024 });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-bench-quotes-'));
const database = await openDatabase({ pgliteDir: 'memory://' });
const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', seedDemo: true });
const platform = await startPlatform(config, { database, logger: createLogger({ logLevel: 'silent' }) });

const bodies = benchAmounts().map((amount) => JSON.stringify({ cny: { amount, currency: 'CNY' } }));
const totals = new Set<string>();
let oneQuote: unknown;
for (const body of bodies) {
  const check = await fetch(`${platform.url}/api/quotes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (check.status !== 200) throw new Error(`quote failed: ${check.status} ${await check.text()}`);
  oneQuote = await check.json();
  totals.add((oneQuote as { total: { amount: string } }).total.amount);
}
if (totals.size !== bodies.length) throw new Error('two bench amounts gave the same total');

const bare = Fastify({ logger: false });
bare.post('/bare', async () => ({ id: 'qt_bare', total: { amount: '235260000', currency: 'IDR' }, lines: [] }));
// Not a target: the same bare route answering one precomputed quote (the last of the checks
// above, serialised on each request), to show what the size of the answer alone costs.
bare.post('/bare-quote', async () => oneQuote);
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;
const bareUrl = `${bareBase}/bare`;

// Warm both up, then measure one after the other in this same run.
await load('warm-up', bareUrl, bodies);
await load('warm-up', `${platform.url}/api/quotes`, bodies);
const baseline = await load('bare Fastify JSON route', bareUrl, bodies);
const quotes = await load('POST /api/quotes', `${platform.url}/api/quotes`, bodies);
const sized = await load('(reference) bare route answering a precomputed quote', `${bareBase}/bare-quote`, bodies);

console.log(`\n${CONNECTIONS} connections, ${SECONDS} s each, ${bodies.length} amounts, one process, ${os.cpus().length} cores\n`);
console.log('| target | req/s | p50 ms | p99 ms | errors | non-2xx |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of [baseline, quotes, sized]) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`);
console.log(`\nquotes / bare throughput: ${(quotes.rps / baseline.rps).toFixed(2)}× (target ≥ 0.5×); p99 ${quotes.p99} ms vs ${baseline.p99} ms`);
console.log(`a precomputed quote-sized answer on the bare route: ${(sized.rps / baseline.rps).toFixed(2)}× the bare route`);

await bare.close();
await platform.stop();
await database.close();
fs.rmSync(dataDir, { recursive: true, force: true });
if (quotes.non2xx > 0 || quotes.errors > 0) process.exitCode = 1;
