import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';
import type { SimulationOptions } from './types.js';

const small: SimulationOptions = { seed: 3, units: 3, months: 1, scenarioRate: 1 };
const serialise = (o: SimulationOptions) => [...simulate(o)].map((r) => JSON.stringify(r));

describe('simulate', () => {
  it('gives identical output for the same options and different output for another seed', () => {
    const a = serialise(small);
    expect(serialise(small)).toEqual(a);
    const b = serialise({ ...small, seed: 4 });
    expect(b).not.toEqual(a);
    expect(a.length).toBeGreaterThan(1000);
  });

  it('yields the calendar and the labels first, then events with deterministic unique ids', () => {
    const kinds = serialise(small).map((s) => JSON.parse(s).kind as string);
    const firstEvent = kinds.indexOf('event');
    expect(kinds.slice(0, firstEvent).every((k) => k === 'evaluation' || k === 'label')).toBe(true);
    const records = [...simulate(small)];
    const ids = records.flatMap((r) => (r.kind === 'event' ? [r.event.id] : []));
    expect(ids[0]).toBe('sim-3-0');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('streams: the first events of a very large run come without generating the rest', () => {
    const started = Date.now();
    let events = 0;
    for (const r of simulate({ seed: 1, units: 1000, months: 36 })) {
      if (r.kind === 'event' && ++events === 1000) break;
    }
    expect(events).toBe(1000);
    // One simulated day of 1000 units is ~10^5 events; the whole run would be ~7·10^7.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses bad options', () => {
    expect(() => [...simulate({ seed: 1.5, units: 1, months: 1 })]).toThrow(/seed/);
    expect(() => [...simulate({ seed: 1, units: 0, months: 1 })]).toThrow(/units/);
    expect(() => [...simulate({ seed: 1, units: 1, months: 1, start: '2025-02-30' })]).toThrow();
    expect(() => [...simulate({ seed: 1, units: 1, months: 1, start: '1999-06-01' })]).toThrow(/start/);
    expect(() => [...simulate({ seed: 1, units: 1, months: 1, scenarioRate: 2 })]).toThrow(/scenarioRate/);
    expect(() => [...simulate({ seed: 1, units: 1, months: 1, scenarios: ['nonsense' as never] })]).toThrow(/scenario/);
    expect(() => [...simulate({ seed: 1, units: 1, months: 1, idlePlatform: true })]).toThrow(/idle/);
  });
});
