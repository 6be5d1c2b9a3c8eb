// Runs autocannon in its own process (so the load generator never shares the server's event
// loop) with a list of requests that each connection cycles through, and prints the result
// as JSON on stdout. Used by bench/quotes.ts:
//   node bench/autocannon-run.mjs '{"url":"…","connections":10,"duration":10,"bodies":["…",…]}'
import autocannon from 'autocannon';

const { url, connections, duration, bodies } = JSON.parse(process.argv[2]);
const result = await autocannon({
  url,
  connections,
  duration,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  // Prebuilt once each (no per-request setup code), so varying bodies cost the client nothing.
  requests: bodies.map((body) => ({ method: 'POST', body })),
});
process.stdout.write(JSON.stringify(result));
