// pnpm bench:pipeline — 24 generated 12 MP JPEG photos through the pipeline's processing code
// on one libvips thread (Lambda's one vCPU): time per image (p50, p95) split into decode,
// resize and encode; bytes of each rendition size against the original; peak RSS.
import sharp from 'sharp';
import { processImage } from '../functions/pipeline/process-image';
import { RENDITION_SIZES } from '../lib/records/limits';
import { photo } from '../test/support/images';

const PHOTOS = 24;
const WIDTH = 4000;
const HEIGHT = 3000;

async function main() {
  sharp.concurrency(1);
  sharp.cache(false);
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);

  console.log(`Generating ${PHOTOS} photos of ${WIDTH} x ${HEIGHT} (12 MP)...`);
  const totals: number[] = [];
  // CPU time is what one core spends, whatever else the machine runs; wall time shows the contention.
  const cpuTotals: number[] = [];
  const splits = { decodeMs: [] as number[], resizeMs: [] as number[], encodeMs: [] as number[] };
  const originalBytes: number[] = [];
  const renditionBytes = new Map<number, number[]>(RENDITION_SIZES.map((size) => [size, []]));
  for (let i = 0; i < PHOTOS; i += 1) {
    const original = await photo(WIDTH, HEIGHT, i + 1);
    originalBytes.push(original.length);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await processImage(original);
    const cpu = process.cpuUsage(cpuBefore);
    totals.push(performance.now() - started);
    cpuTotals.push((cpu.user + cpu.system) / 1000);
    process.stdout.write('.');
    if (result.status !== 'READY') throw new Error(`Photo ${i} was rejected: ${result.reason}`);
    for (const key of Object.keys(splits) as (keyof typeof splits)[]) splits[key].push(result.timings[key]);
    for (const rendition of result.renditions)
      renditionBytes.get(rendition.size)?.push(rendition.body.length);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  clearInterval(sample);

  const ms = (value: number) => `${Math.round(value)} ms`;
  const avg = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const originalAvg = avg(originalBytes);
  console.log(`\n\nper photo, all ${RENDITION_SIZES.length} renditions (one libvips thread):`);
  console.log(
    `  CPU time   p50 ${ms(percentile(cpuTotals, 50))}   p95 ${ms(percentile(cpuTotals, 95))}   max ${ms(Math.max(...cpuTotals))}`,
  );
  console.log(
    `  wall time  p50 ${ms(percentile(totals, 50))}   p95 ${ms(percentile(totals, 95))}   max ${ms(Math.max(...totals))}`,
  );
  console.log(
    `  split (wall, p50): decode+orient+shrink ${ms(percentile(splits.decodeMs, 50))}, resize ${ms(percentile(splits.resizeMs, 50))}, encode ${ms(percentile(splits.encodeMs, 50))}`,
  );
  console.log(`\nbytes (average over ${PHOTOS} photos; original ${kb(originalAvg)}):`);
  for (const [size, bytes] of renditionBytes) {
    console.log(
      `  ${String(size).padStart(4)} px  ${kb(avg(bytes)).padStart(9)}  ${(originalAvg / avg(bytes)).toFixed(1).padStart(6)}x smaller`,
    );
  }
  const grid = avg(renditionBytes.get(640) ?? []);
  console.log(
    `\na 1280-px-wide grid (4 columns, 2x density) loads the 640 px rendition: ${(originalAvg / grid).toFixed(0)}x smaller than the original`,
  );
  console.log(`peak RSS ${Math.round(peakRss / 1024 / 1024)} MB`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const kb = (bytes: number) => `${Math.round(bytes / 1024)} kB`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
