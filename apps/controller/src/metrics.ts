// A small Prometheus text-format registry: counters, gauges and one histogram are all the controller needs.
type Labels = Readonly<Record<string, string>>;

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (l: Labels) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
const keyOf = (l: Labels) => JSON.stringify(Object.entries(l).sort(([a], [b]) => a.localeCompare(b)));

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {}
  abstract lines(): string[];
}

export class Counter extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    this.series(labels).value += by;
  }
  /** One label set, resolved once: for a hot path (every event) where building the key each time shows. */
  labels(labels: Labels): { inc: (by?: number) => void } {
    const series = this.series(labels);
    return {
      inc: (by = 1) => {
        series.value += by;
      },
    };
  }
  private series(labels: Labels): { labels: Labels; value: number } {
    const k = keyOf(labels);
    let cur = this.values.get(k);
    if (!cur) {
      cur = { labels, value: 0 };
      this.values.set(k, cur);
    }
    return cur;
  }
  /** For a count kept elsewhere (e.g. by the ESL adapter) and mirrored here at scrape time. */
  set(labels: Labels, value: number): void {
    this.series(labels).value = value;
  }
  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }
  lines(): string[] {
    return [...this.values.values()].map((v) => `${this.name}${labelText(v.labels)} ${v.value}`);
  }
}

export class Gauge extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(labels: Labels, value: number): void {
    this.values.set(keyOf(labels), { labels, value });
  }
  lines(): string[] {
    return [...this.values.values()].map((v) => `${this.name}${labelText(v.labels)} ${v.value}`);
  }
}

export class Histogram extends Metric {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[],
  ) {
    super(name, help, 'histogram');
  }
  observe(labels: Labels, value: number): void {
    this.record(this.seriesOf(labels), value);
  }
  /** One label set, resolved once (see Counter.labels). */
  labels(labels: Labels): { observe: (value: number) => void } {
    const s = this.seriesOf(labels);
    return { observe: (value) => this.record(s, value) };
  }
  private seriesOf(labels: Labels): { labels: Labels; counts: number[]; sum: number; count: number } {
    const k = keyOf(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    return s;
  }
  private record(s: { counts: number[]; sum: number; count: number }, value: number): void {
    for (let i = 0; i < this.buckets.length; i++)
      if (value <= (this.buckets[i] ?? Infinity)) s.counts[i] = (s.counts[i] ?? 0) + 1;
    s.sum += value;
    s.count++;
  }
  lines(): string[] {
    const out: string[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) =>
        out.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i] ?? 0}`),
      );
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      out.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

const COLLECT_TIMEOUT_MS = 1_000;

export class Registry {
  private readonly metrics: Metric[] = [];
  private readonly collectors: Array<() => void | Promise<void>> = [];

  add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  /**
   * Runs before each scrape (e.g. to read a queue's depth). A failing collector, or one that takes longer than
   * a second (Redis down: BullMQ would wait for it), leaves the last value: the scrape itself never hangs.
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
    const out: string[] = [];
    for (const m of this.metrics) {
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, ...m.lines());
    }
    return `${out.join('\n')}\n`;
  }
}

export type ControllerMetrics = ReturnType<typeof controllerMetrics>;

export function controllerMetrics(registry = new Registry()) {
  return {
    registry,
    events: registry.add(new Counter('pbx_esl_events_total', 'FreeSWITCH events received, by node and type')),
    eventErrors: registry.add(
      new Counter('pbx_esl_event_errors_total', 'Events whose handling failed, by type'),
    ),
    connected: registry.add(new Gauge('pbx_esl_connected', 'ESL connection state per node: 1 ready, 0 not')),
    reconnects: registry.add(
      new Counter('pbx_esl_reconciles_total', 'Reconciliations after a (re)connect, by node and outcome'),
    ),
    cdrWrite: registry.add(
      new Histogram(
        'pbx_cdr_write_seconds',
        'Time from handing a CDR row to the batcher until its statement committed, per row, by source',
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      ),
    ),
    cdrBatchRows: registry.add(
      new Histogram(
        'pbx_cdr_batch_rows',
        'CDR rows per database statement (event and mod_json_cdr rows are batched together)',
        [1, 2, 5, 10, 25, 50, 100, 250, 500],
      ),
    ),
    cdrRowsFailed: registry.add(
      new Counter(
        'pbx_cdr_rows_failed_total',
        'CDR rows whose statement failed (the database refused or did not answer); their senders retry',
      ),
    ),
    cdrPending: registry.add(
      new Gauge('pbx_cdr_writer_pending', 'CDR rows handed to the batcher and not yet committed or failed'),
    ),
    dbConnections: registry.add(
      new Gauge(
        'pbx_db_connections',
        'Database pool: connections open (total), idle, and callers waiting for one',
      ),
    ),
    dbSilentDestroyed: registry.add(
      new Counter(
        'pbx_db_silent_connections_destroyed_total',
        'Database connections in use that heard nothing within DB_QUERY_TIMEOUT_MS and were destroyed (a stall, e.g. a black-holed network path)',
      ),
    ),
    configBusUp: registry.add(
      new Gauge(
        'pbx_config_bus_up',
        'Redis config-changed subscription: 1 connected, 0 down (then PostgreSQL is polled every CONFIG_POLL_MS)',
      ),
    ),
    configPolls: registry.add(
      new Counter(
        'pbx_config_polls_total',
        'Polls of PostgreSQL for configuration changes while the bus was down',
      ),
    ),
    cdrErrLogFiles: registry.add(
      new Counter(
        'pbx_cdr_errlog_files_total',
        "Files of mod_json_cdr's err-log directory handled, by outcome (committed, rejected: set aside with a reason, retry: database trouble, pending: still being written)",
      ),
    ),
    cdrPosts: registry.add(new Counter('pbx_cdr_posts_total', 'mod_json_cdr POSTs, by HTTP status')),
    xmlCurlLookups: registry.add(
      new Counter('pbx_xml_curl_lookups_total', 'mod_xml_curl lookups answered, by path and HTTP status'),
    ),
    connectionsRefused: registry.add(
      new Counter(
        'pbx_http_connections_refused_total',
        'HTTP connections closed as soon as they were accepted, by reason (per_address_cap: the address already held the most allowed)',
      ),
    ),
    guardRefused: registry.add(
      new Counter(
        'pbx_guard_refused_total',
        'directory lookups refused by the abuse guards before any database work, by reason (address_banned, user_locked, miss_rate)',
      ),
    ),
    guardBlocks: registry.add(
      new Counter('pbx_guard_blocks_total', 'blocks this controller created, by kind (address, user)'),
    ),
    fraudRefused: registry.add(
      new Counter(
        'pbx_fraud_refused_total',
        'external calls refused by the outbound fraud policy, by reason (COUNTRY_BLOCKED is counted by routing, not here)',
      ),
    ),
    fraudCheckFailed: registry.add(
      new Counter(
        'pbx_fraud_check_failed_total',
        'external calls let through because the fraud check could not reach Redis in time (the tenant cap in FreeSWITCH still applies)',
      ),
    ),
    authFailures: registry.add(
      new Counter(
        'pbx_sip_auth_failures_total',
        'sofia::register_failure events counted, by registration type',
      ),
    ),
    crossTenantRefused: registry.add(
      new Counter(
        'pbx_sip_cross_tenant_refused_total',
        'sip_auth lookups refused because a request header names another domain or user than the digest realm, by field',
      ),
    ),
    crossRealmEvictions: registry.add(
      new Counter(
        'pbx_sip_cross_realm_evictions_total',
        'Registrations whose digest realm differs from their To/From host, flushed at once, by node and outcome',
      ),
    ),
    directoryFlushes: registry.add(
      new Counter(
        'pbx_directory_flushes_total',
        'xml_flush_cache commands sent to FreeSWITCH, by node, scope (user, all) and outcome (ok, failed)',
      ),
    ),
    outboundSessions: registry.add(
      new Gauge('pbx_outbound_sessions', 'IVR and voicemail calls controlled over the outbound socket now'),
    ),
    outboundSessionsTotal: registry.add(
      new Counter(
        'pbx_outbound_sessions_total',
        'Outbound-socket sessions ended, by app (pbx_app) and outcome (done, hangup, refused, failed)',
      ),
    ),
    recordingsQueue: registry.add(
      new Gauge('pbx_recordings_queue_depth', 'Jobs waiting or running in the recordings queue, by state'),
    ),
  };
}
