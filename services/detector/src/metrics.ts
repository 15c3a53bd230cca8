import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The detector's own numbers; gauges read the live state when scraped. */
export function createDetectorMetrics(
  state: () => {
    watermark: number | null;
    latestRecordedAt: number | null;
    replayIds: number;
    replayBytes: number;
    leader: boolean;
    sentFingerprints: number;
  },
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tw_detector_process_' });
  new Gauge({
    name: 'tw_detector_watermark_seconds',
    help: 'Stream time the detectors judge as of (unix seconds of the watermark)',
    registers: [registry],
    collect() {
      const w = state().watermark;
      if (w !== null) this.set(w / 1000);
    },
  });
  new Gauge({
    name: 'tw_detector_watermark_lag_seconds',
    help: 'How far the watermark trails the newest recording time consumed (allowed lateness included)',
    registers: [registry],
    collect() {
      const { watermark, latestRecordedAt } = state();
      if (watermark !== null && latestRecordedAt !== null) this.set((latestRecordedAt - watermark) / 1000);
    },
  });
  new Gauge({
    name: 'tw_detector_state_event_ids',
    help: 'Event ids remembered to drop replays',
    registers: [registry],
    collect() {
      this.set(state().replayIds);
    },
  });
  new Gauge({
    name: 'tw_detector_state_replay_filter_bytes',
    help: 'Bytes held by the replay filter',
    registers: [registry],
    collect() {
      this.set(state().replayBytes);
    },
  });
  new Gauge({
    name: 'tw_detector_leader',
    help: '1 when this instance emits the alert commands of the group',
    registers: [registry],
    collect() {
      this.set(state().leader ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tw_detector_tracked_findings',
    help: 'Fingerprints sent to the alert keeper and still holding',
    registers: [registry],
    collect() {
      this.set(state().sentFingerprints);
    },
  });
  return {
    registry,
    events: new Counter({
      name: 'tw_detector_events_total',
      help: 'Trace events fed to the detectors',
      labelNames: ['source'],
      registers: [registry],
    }),
    invalid: new Counter({
      name: 'tw_detector_invalid_messages_total',
      help: 'Messages skipped as invalid (ingest dead-letters them)',
      registers: [registry],
    }),
    evaluations: new Counter({
      name: 'tw_detector_evaluations_total',
      help: 'Detection runs, by what triggered them',
      labelNames: ['trigger'],
      registers: [registry],
    }),
    evaluationSeconds: new Histogram({
      name: 'tw_detector_evaluation_seconds',
      help: 'Duration of one detection run over the whole state',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    findings: new Gauge({
      name: 'tw_detector_findings',
      help: 'Findings of the last detection run, by detector and severity',
      labelNames: ['detector', 'severity'],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'tw_detector_alert_commands_total',
      help: 'Alert commands sent to the keeper, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    rebuildSeconds: new Gauge({
      name: 'tw_detector_rebuild_seconds',
      help: 'Duration of the last state rebuild from ClickHouse',
      registers: [registry],
    }),
    rebuildEvents: new Gauge({
      name: 'tw_detector_rebuild_events',
      help: 'Stored events read by the last rebuild',
      registers: [registry],
    }),
  };
}

export type DetectorMetrics = ReturnType<typeof createDetectorMetrics>;
