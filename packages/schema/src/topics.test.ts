import { describe, expect, it } from 'vitest';
// The local stack's topic script (plain JS, run before any build).
import {
  TOPIC_CONFIGS as STACK_CONFIGS,
  TOPIC_PARTITIONS as STACK_PARTITIONS,
} from '../../../infra/local/create-topics.mjs';
import { TOPIC_CONFIGS, TOPIC_PARTITIONS, TOPICS } from './topics.js';

describe('topics', () => {
  it('have one partition count, wherever they are created', () => {
    expect(STACK_PARTITIONS).toEqual(TOPIC_PARTITIONS);
    expect(Object.keys(TOPIC_PARTITIONS).sort()).toEqual(Object.values(TOPICS).sort());
  });

  it('have one set of topic configs, wherever they are created', () => {
    expect(STACK_CONFIGS).toEqual(TOPIC_CONFIGS);
  });
});
