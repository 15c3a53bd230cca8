#!/usr/bin/env node
// Exits 0 once a Kafka broker answers a metadata request (admin listTopics), 1 after the
// timeout. An open TCP port is not enough: a KRaft broker accepts connections before it
// has caught up with the controller and can serve metadata.
// Usage: node kafka-ready.mjs [timeoutSeconds]   Env: KAFKA_BROKERS (default 127.0.0.1:9092)
import { Kafka, logLevel } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const timeoutMs = Number(process.argv[2] ?? 60) * 1000;
const deadline = Date.now() + timeoutMs;

const kafka = new Kafka({
  clientId: 'tracewatch-kafka-ready',
  brokers,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 3000,
  retry: { retries: 0 },
});

let lastError = 'no attempt';
while (Date.now() < deadline) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();
    process.exit(0);
  } catch (err) {
    lastError = err.message;
    await admin.disconnect().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
console.error(`kafka-ready: no answer from ${brokers.join(',')} within ${timeoutMs / 1000}s: ${lastError}`);
process.exit(1);
