import assert from 'node:assert/strict';
import { test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { controllerMetrics } from '../src/metrics.js';

// The families dashboards read: a rename here is a rename there.
const FAMILIES: Record<string, string> = {
  pbx_esl_events_total: 'COUNTER',
  pbx_esl_event_errors_total: 'COUNTER',
  pbx_esl_connected: 'GAUGE',
  pbx_esl_reconciles_total: 'COUNTER',
  pbx_cdr_write_seconds: 'HISTOGRAM',
  pbx_cdr_batch_rows: 'HISTOGRAM',
  pbx_cdr_rows_failed_total: 'COUNTER',
  pbx_cdr_writer_pending: 'GAUGE',
  pbx_db_connections: 'GAUGE',
  pbx_db_silent_connections_destroyed_total: 'COUNTER',
  pbx_config_bus_up: 'GAUGE',
  pbx_config_polls_total: 'COUNTER',
  pbx_cdr_errlog_files_total: 'COUNTER',
  pbx_cdr_posts_total: 'COUNTER',
  pbx_xml_curl_lookups_total: 'COUNTER',
  pbx_http_connections_refused_total: 'COUNTER',
  pbx_guard_refused_total: 'COUNTER',
  pbx_guard_blocks_total: 'COUNTER',
  pbx_fraud_refused_total: 'COUNTER',
  pbx_fraud_check_failed_total: 'COUNTER',
  pbx_sip_auth_failures_total: 'COUNTER',
  pbx_sip_cross_tenant_refused_total: 'COUNTER',
  pbx_sip_cross_realm_evictions_total: 'COUNTER',
  pbx_directory_flushes_total: 'COUNTER',
  pbx_outbound_sessions: 'GAUGE',
  pbx_outbound_sessions_total: 'COUNTER',
  pbx_recordings_queue_depth: 'GAUGE',
};

void test('controller metrics: the exposition parses, every family with its type and help, values and labels kept', async () => {
  const m = controllerMetrics();
  m.events.inc({ node: 'fs-1', type: 'CHANNEL_CREATE' });
  m.events.labels({ type: 'CHANNEL_CREATE', node: 'fs-1' }).inc(); // a bound label set is the same series
  m.connected.set({ node: 'a"b\\c\nd' }, 1);
  m.cdrWrite.observe({ source: 'event' }, 0.003);
  m.cdrWrite.labels({ source: 'event' }).observe(2);
  m.registry.onCollect(() => {
    m.recordingsQueue.set({ state: 'waiting' }, 7);
  });
  // A collector that never answers (Redis down) leaves the scrape to the others.
  m.registry.onCollect(() => new Promise<void>(() => undefined));

  const text = await m.registry.render();
  const families = parsePrometheusTextFormat(text);
  const byName = new Map(families.map((f) => [f.name, f]));
  assert.deepEqual(Object.fromEntries(families.map((f) => [f.name, f.type])), FAMILIES);
  for (const f of families) assert.ok(f.help.length > 10, `${f.name} has a help text`);

  assert.deepEqual(byName.get('pbx_esl_events_total')?.metrics, [
    { labels: { node: 'fs-1', type: 'CHANNEL_CREATE' }, value: '2' },
  ]);
  assert.deepEqual(byName.get('pbx_esl_connected')?.metrics, [{ labels: { node: 'a"b\\c\nd' }, value: '1' }]);
  const write = byName.get('pbx_cdr_write_seconds')?.metrics[0];
  // (the parser drops a histogram's labels: read them from the text)
  assert.match(text, /^pbx_cdr_write_seconds_count\{source="event"\} 2$/m);
  assert.equal(write?.buckets?.['0.0025'], '0');
  assert.equal(write?.buckets?.['0.005'], '1'); // cumulative
  assert.equal(write?.buckets?.['+Inf'], '2');
  assert.deepEqual(byName.get('pbx_recordings_queue_depth')?.metrics, [
    { labels: { state: 'waiting' }, value: '7' },
  ]);
});
