/** Types of create-topics.mjs (plain JS, run before any build). */
/** Topic configs set on creation (see create-topics.mjs). */
export declare const TOPIC_CONFIGS: Record<string, Record<string, string>>;
export declare const TOPIC_PARTITIONS: Record<string, number>;
export declare function createTopics(options: {
  brokers: string[];
  prefix?: string;
  replicationFactor?: number;
}): Promise<{ created: string[]; existing: string[]; mismatched: string[] }>;
