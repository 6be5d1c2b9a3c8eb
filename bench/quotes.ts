/**
 * `POST /api/quotes` throughput and p99 latency against a bare Fastify JSON route served by
 * the same process in the same run, driven by the same load tool (autocannon). Every
 * connection cycles through the same 97 yuan amounts (¥19.77 to ¥965,456.08, all three fee bands,
 * minimum fee included) for both targets, so each quote is priced from its own amount. A
 * third target, for reference only, has the bare route answer one precomputed quote: what the
 * size of the answer (about 2 KB against 70 bytes) costs by itself.
 *
 * The machines are shared, and other work comes and goes within seconds; so the targets are
 * measured in rounds (bare, quotes, reference, one after the other) and the headline ratio is
 * the median of the rounds' quotes/bare ratios, each from two runs a few seconds apart.
 *
 *   npm run bench:quotes                  # 3 rounds of 5 s per target, 10 connections
 *   BENCH_ROUNDS=5 BENCH_SECONDS=10 BENCH_CONNECTIONS=20 npm run bench:quotes
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

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Result {
  name: string;
  rps: number;
  /** CPU time of this (server) process per request: less swayed by other work on the machine than req/s. */
  cpuUs: number;
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
  const before = process.cpuUsage();
  const { stdout } = await run(process.execPath, [RUNNER, JSON.stringify({ url, connections: CONNECTIONS, duration: SECONDS, bodies })], { maxBuffer: 64 * 1024 * 1024 });
  const cpu = process.cpuUsage(before);
  const r = JSON.parse(stdout) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
  return { name, rps: r.requests.average, cpuUs: (cpu.user + cpu.system) / r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
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

const targets = [
  { name: 'bare Fastify JSON route', url: bareUrl },
  { name: 'POST /api/quotes', url: `${platform.url}/api/quotes` },
  { name: '(reference) bare route answering a precomputed quote', url: `${bareBase}/bare-quote` },
];
// Warm every target up, then measure them one after the other, round after round.
for (const t of targets) await load('warm-up', t.url, bodies);
const rounds: Result[][] = [];
for (let r = 0; r < ROUNDS; r++) {
  const round: Result[] = [];
  for (const t of targets) round.push(await load(t.name, t.url, bodies));
  rounds.push(round);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** A target's median round (by req/s), for its latency too. */
const medianRound = (i: number) => {
  const byRps = rounds.map((round) => round[i]!).sort((a, b) => a.rps - b.rps);
  return byRps[Math.floor((byRps.length - 1) / 2)]!;
};
const ratios = rounds.map((round) => round[1]!.rps / round[0]!.rps);
const referenceRatios = rounds.map((round) => round[2]!.rps / round[0]!.rps);

console.log(`\n${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per target, ${bodies.length} amounts, one process, ${os.cpus().length} cores\n`);
console.log('| target | req/s (median round) | rounds | server CPU µs/req (median) | p50 ms | p99 ms | errors | non-2xx |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
targets.forEach((t, i) => {
  const m = medianRound(i);
  const all = rounds.map((round) => round[i]!);
  console.log(`| ${t.name} | ${m.rps.toFixed(0)} | ${all.map((r) => r.rps.toFixed(0)).join(', ')} | ${median(all.map((r) => r.cpuUs)).toFixed(1)} | ${m.p50} | ${m.p99} | ${all.reduce((n, r) => n + r.errors, 0)} | ${all.reduce((n, r) => n + r.non2xx, 0)} |`);
});
console.log(`\nquotes / bare throughput: ${median(ratios).toFixed(2)}× (median of rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}; target ≥ 0.5×)`);
console.log(`precomputed quote-sized answer on the bare route / bare: ${median(referenceRatios).toFixed(2)}× (rounds ${referenceRatios.map((x) => x.toFixed(2)).join(', ')})`);

await bare.close();
await platform.stop();
await database.close();
fs.rmSync(dataDir, { recursive: true, force: true });
if (rounds.some((round) => round.some((r) => r.non2xx > 0 || r.errors > 0))) process.exitCode = 1;
