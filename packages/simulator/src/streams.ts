/** Keys of the independent random streams, so that each purpose draws apart from the others. */
export const STREAM = {
  world: 1,
  plan: 2,
  traffic: 3,
  scenario: 4,
  recorder: 5,
  metrics: 6,
} as const;
