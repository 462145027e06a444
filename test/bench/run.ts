import { benchClassifier } from './classifier-bench.js';
import { benchMasking } from './masking-bench.js';
import { benchFeishuAck } from './feishu-ack-bench.js';
import { benchIntake } from './intake-bench.js';
import { benchLoad } from './load-bench.js';
import { benchQueries } from './query-bench.js';
import { sampleTexts } from './sample-texts.js';
import { benchWorker } from './worker-bench.js';

/**
 * `npm run bench [-- --quick] [-- --worker]`: the speed targets of DESIGN.md, measured (never asserted in
 * tests). Run on a quiet machine: every figure is wall-clock.
 */
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const rows: Array<[string, string, string]> = [];
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
/** Why requests got no 200 (HTTP status or client error code), so a shortfall says what it was. */
const notAcked = (by: Record<string, number>) => {
  const reasons = Object.entries(by).map(([why, n]) => `${why} × ${n}`);
  return reasons.length ? ` (not acked: ${reasons.join(', ')})` : '';
};
const print = (row: [string, string, string]) => {
  rows.push(row);
  process.stdout.write(`  ${row[0]}: ${row[1]}\n`);
};

const { texts, source } = sampleTexts(quick ? 2_000 : 20_000);
process.stdout.write(`text: ${source}\n`);

const cls = await benchClassifier(texts.slice(0, 10_000));
print(['local classifier', `${fmt(cls.perSecond)} classifications/s (n=${cls.n})`, '≥ 5,000/s']);

const mask = benchMasking(texts.slice(0, 10_000));
print(['masking (every kind, room numbers too)', `${fmt(mask.perSecond)} messages/s (n=${mask.n})`, '—']);

const intake = await benchIntake(texts.slice(0, quick ? 2_000 : 10_000));
print(['intake end to end (POST → filed record)', `${fmt(intake.filedPerSecond)} messages/s (n=${intake.messages}, ${fmt(intake.seconds, 1)} s)`, '≥ 2,000/s']);
if (intake.cpuMsPerMessage !== null) {
  print(['… server CPU per message (all threads)', `${fmt(intake.cpuMsPerMessage, 2)} ms, so ${fmt(1000 / intake.cpuMsPerMessage)} messages/s per core`, '≥ 2,000/s per core']);
}
if (intake.cpuByThread !== null) {
  const t = intake.cpuByThread;
  print(['… by thread', `acknowledging ${fmt(t.acknowledging, 2)} ms, job ${fmt(t.jobs, 2)} ms, other (GC helpers, libuv) ${fmt(t.other, 2)} ms`, '—']);
}
print(['API acknowledgement under that load', `${fmt(intake.ackPerSecond)} req/s, p50 ${fmt(intake.ackP50, 1)} ms, p99 ${fmt(intake.ackP99, 1)} ms`, '—']);

const fs = await benchFeishuAck({ requests: quick ? 1_000 : 5_000, concurrency: 32, rate: 500 });
print(['Feishu webhook ack at 500 req/s (signed+encrypted)', `p50 ${fmt(fs.ours.p50, 1)} ms, p99 ${fmt(fs.ours.p99, 1)} ms, ${fmt(fs.ours.rps)} req/s`, 'p99 < 50 ms']);
print(['bare Hono 200 route, same load', `p50 ${fmt(fs.bare.p50, 1)} ms, p99 ${fmt(fs.bare.p99, 1)} ms, ${fmt(fs.bare.rps)} req/s`, '—']);
print(['ack ratio (ours p50 / bare p50)', fmt(fs.ratio, 2), '≤ 2']);

const loads = await benchLoad({ rates: quick ? [100, 300] : [250, 500, 1000], seconds: quick ? 10 : 60, texts: texts.slice(0, 5_000) });
for (const r of loads) {
  print([`open-loop load ${r.rate} msgs/s`, `acked ${r.acknowledged}/${r.sent}${notAcked(r.refusedBy)}, filed ${r.filed}, lost ${r.lost}, dup ${r.duplicated}, ack p50 ${fmt(r.ackP50, 1)} ms p99 ${fmt(r.ackP99, 1)} ms${r.rampAckP99 === null ? '' : ` (after a 3 s ramp at 30 %, whose p99 was ${fmt(r.rampAckP99, 1)} ms)`}, drain ${r.drainSeconds === null ? 'timeout' : `${fmt(r.drainSeconds, 1)} s`}`, '1,000/s × 60 s, 0 lost/dup, p99 < 100 ms']);
}

const qn = quick ? 100_000 : 1_000_000;
const q = await benchQueries({ records: qn, runs: quick ? 200 : 500 });
process.stdout.write(`query bench: ${fmt(q.records)} records (${fmt(q.open)} open), seeded in ${fmt(q.seedSeconds, 1)} s\n`);
for (const r of q.rows) print([`${r.name} @ ${quick ? '100k' : '1M'} records`, `p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms (n=${r.n})`, 'p99 ≤ 20 ms at 1M']);

if (args.has('--worker')) {
  const w = await benchWorker({ requests: quick ? 300 : 2_000, concurrency: 16, texts: texts.slice(0, 2_000) });
  print(['wrangler dev --local (workerd + local D1/Queues)', `p50 ${fmt(w.p50, 1)} ms, p99 ${fmt(w.p99, 1)} ms, ${fmt(w.rps)} req/s, ${w.filed} filed`, 'not the edge']);
}

const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
process.stdout.write(`\n${'measure'.padEnd(w0)}  ${'result'.padEnd(w1)}  target\n`);
for (const r of rows) process.stdout.write(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}\n`);
