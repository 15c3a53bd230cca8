/** Types of create-topics.mjs (plain JS, run before any build). */
export declare const TOPIC_PARTITIONS: Record<string, number>;
export declare function createTopics(options: {
  brokers: string[];
  prefix?: string;
  replicationFactor?: number;
}): Promise<{ created: string[]; existing: string[]; mismatched: string[] }>;
