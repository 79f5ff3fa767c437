import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram };

/** What every /metrics answer is sent as (Prometheus text format 0.0.4). */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

const COLLECT_TIMEOUT_MS = 1_000;

/**
 * One prom-client registry per process part (API, controller, worker; tests build several in one process, so never
 * the global one), plus collectors that refresh values kept elsewhere before each scrape. prom-client would await a
 * metric's own `collect` without limit; ours are bounded so that a scrape never hangs on Redis or a database.
 */
export class MetricsRegistry {
  readonly prom = new Registry();
  private readonly collectors: Array<() => void | Promise<void>> = [];

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.prom] });
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.prom] });
  }

  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.prom] });
  }

  /**
   * Runs before each scrape (e.g. to read a queue's depth). A failing collector, or one that takes longer than a
   * second (Redis down: BullMQ would wait for it), leaves the last value: the scrape itself never hangs.
   */
  onCollect(fn: () => void | Promise<void>): void {
    this.collectors.push(fn);
  }

  async render(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, COLLECT_TIMEOUT_MS);
    });
    await Promise.race([Promise.allSettled(this.collectors.map(async (c) => c())), late]);
    clearTimeout(timer);
    return this.prom.metrics();
  }
}

type Labels = Readonly<Record<string, string>>;

const sameLabels = (a: Partial<Record<string, string | number>>, b: Labels) => {
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  return keys.length === Object.keys(b).length && keys.every((k) => String(a[k]) === b[k]);
};

/** The current value of one series of a counter or gauge (0 if it was never touched): for tests and logs. */
export async function valueOf(metric: Counter<string> | Gauge<string>, labels: Labels = {}): Promise<number> {
  const { values } = await metric.get();
  return values.find((v) => sameLabels(v.labels, labels))?.value ?? 0;
}

/**
 * A counter whose counts are kept elsewhere (e.g. by the ESL adapter) and copied in at scrape time: prom-client
 * counters only go up, so the series are rebuilt from the source's full set each time.
 */
export function mirrorCounter<L extends string>(
  counter: Counter<L>,
  series: Iterable<readonly [Partial<Record<L, string>>, number]>,
): void {
  counter.reset();
  for (const [labels, value] of series) counter.inc(labels, value);
}
