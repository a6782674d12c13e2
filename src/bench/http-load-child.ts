/**
 * One autocannon measurement in a fresh process (a load generator reused across runs drifts as its heap grows).
 * argv: URL CONNECTIONS DURATION_S WARMUP_S. Prints the autocannon result as one JSON line.
 */
import autocannon from 'autocannon';

const [url, connections, duration, warmup] = process.argv.slice(2);
await autocannon({ url: url!, connections: Number(connections), duration: Number(warmup) });
const result = await autocannon({ url: url!, connections: Number(connections), duration: Number(duration), pipelining: 1 });
process.stdout.write(`${JSON.stringify(result)}\n`);
