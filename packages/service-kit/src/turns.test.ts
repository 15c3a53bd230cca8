import { describe, expect, it } from 'vitest';
import { serialTurns } from './turns.js';

describe('serialTurns', () => {
  it('runs turns one at a time, reports each outcome, and goes on after a failure', async () => {
    const log: string[] = [];
    let running = 0;
    let n = 0;
    const turns = serialTurns(
      async () => {
        running++;
        expect(running).toBe(1);
        const k = ++n;
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (k === 2) throw new Error(`turn ${k} failed`);
      },
      { succeeded: () => log.push('ok'), failed: (err) => log.push(err.message) },
    );
    turns.tick();
    turns.tick();
    turns.tick();
    await turns.settled();
    expect(log).toEqual(['ok', 'turn 2 failed', 'ok']);
  });
});
