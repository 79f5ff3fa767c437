import { MetricsRegistry } from '@pbx/metrics';

// The controller's metric families (prom-client through @pbx/metrics). Names, types, labels and help texts are what
// dashboards read: change one only together with them.
export type ControllerMetrics = ReturnType<typeof controllerMetrics>;

export function controllerMetrics(registry = new MetricsRegistry()) {
  return {
    registry,
    events: registry.counter('pbx_esl_events_total', 'FreeSWITCH events received, by node and type', [
      'node',
      'type',
    ]),
    eventErrors: registry.counter('pbx_esl_event_errors_total', 'Events whose handling failed, by type', [
      'type',
    ]),
    connected: registry.gauge('pbx_esl_connected', 'ESL connection state per node: 1 ready, 0 not', ['node']),
    reconnects: registry.counter(
      'pbx_esl_reconciles_total',
      'Reconciliations after a (re)connect, by node and outcome',
      ['node', 'outcome'],
    ),
    cdrWrite: registry.histogram(
      'pbx_cdr_write_seconds',
      'Time from handing a CDR row to the batcher until its statement committed, per row, by source',
      ['source'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    cdrBatchRows: registry.histogram(
      'pbx_cdr_batch_rows',
      'CDR rows per database statement (event and mod_json_cdr rows are batched together)',
      [],
      [1, 2, 5, 10, 25, 50, 100, 250, 500],
    ),
    cdrRowsFailed: registry.counter(
      'pbx_cdr_rows_failed_total',
      'CDR rows whose statement failed (the database refused or did not answer); their senders retry',
    ),
    cdrPending: registry.gauge(
      'pbx_cdr_writer_pending',
      'CDR rows handed to the batcher and not yet committed or failed',
    ),
    dbConnections: registry.gauge(
      'pbx_db_connections',
      'Database pool: connections open (total), idle, and callers waiting for one',
      ['state'],
    ),
    dbSilentDestroyed: registry.counter(
      'pbx_db_silent_connections_destroyed_total',
      'Database connections in use that heard nothing within DB_QUERY_TIMEOUT_MS and were destroyed (a stall, e.g. a black-holed network path)',
    ),
    configBusUp: registry.gauge(
      'pbx_config_bus_up',
      'Redis config-changed subscription: 1 connected, 0 down (then PostgreSQL is polled every CONFIG_POLL_MS)',
    ),
    configPolls: registry.counter(
      'pbx_config_polls_total',
      'Polls of PostgreSQL for configuration changes while the bus was down',
    ),
    cdrErrLogFiles: registry.counter(
      'pbx_cdr_errlog_files_total',
      "Files of mod_json_cdr's err-log directory handled, by outcome (committed, rejected: set aside with a reason, retry: database trouble, pending: still being written)",
      ['outcome'],
    ),
    cdrPosts: registry.counter('pbx_cdr_posts_total', 'mod_json_cdr POSTs, by HTTP status', ['status']),
    xmlCurlLookups: registry.counter(
      'pbx_xml_curl_lookups_total',
      'mod_xml_curl lookups answered, by path and HTTP status',
      ['path', 'status'],
    ),
    connectionsRefused: registry.counter(
      'pbx_http_connections_refused_total',
      'HTTP connections closed as soon as they were accepted, by reason (per_address_cap: the address already held the most allowed)',
      ['reason'],
    ),
    guardRefused: registry.counter(
      'pbx_guard_refused_total',
      'directory lookups refused by the abuse guards before any database work, by reason (address_banned, user_locked, miss_rate)',
      ['reason'],
    ),
    guardBlocks: registry.counter(
      'pbx_guard_blocks_total',
      'blocks this controller created, by kind (address, user)',
      ['kind'],
    ),
    fraudRefused: registry.counter(
      'pbx_fraud_refused_total',
      'external calls refused by the outbound fraud policy, by reason (COUNTRY_BLOCKED is counted by routing, not here)',
      ['reason'],
    ),
    fraudCheckFailed: registry.counter(
      'pbx_fraud_check_failed_total',
      'external calls let through because the fraud check could not reach Redis in time (the tenant cap in FreeSWITCH still applies)',
    ),
    authFailures: registry.counter(
      'pbx_sip_auth_failures_total',
      'sofia::register_failure events counted, by registration type',
      ['type'],
    ),
    crossTenantRefused: registry.counter(
      'pbx_sip_cross_tenant_refused_total',
      'sip_auth lookups refused because a request header names another domain or user than the digest realm, by field',
      ['field'],
    ),
    crossRealmEvictions: registry.counter(
      'pbx_sip_cross_realm_evictions_total',
      'Registrations whose digest realm differs from their To/From host, flushed at once, by node and outcome',
      ['node', 'outcome'],
    ),
    directoryFlushes: registry.counter(
      'pbx_directory_flushes_total',
      'xml_flush_cache commands sent to FreeSWITCH, by node, scope (user, all) and outcome (ok, failed)',
      ['node', 'scope', 'outcome'],
    ),
    outboundSessions: registry.gauge(
      'pbx_outbound_sessions',
      'IVR and voicemail calls controlled over the outbound socket now',
    ),
    outboundSessionsTotal: registry.counter(
      'pbx_outbound_sessions_total',
      'Outbound-socket sessions ended, by app (pbx_app) and outcome (done, hangup, refused, failed)',
      ['app', 'outcome'],
    ),
    recordingsQueue: registry.gauge(
      'pbx_recordings_queue_depth',
      'Jobs waiting or running in the recordings queue, by state',
      ['state'],
    ),
  };
}
