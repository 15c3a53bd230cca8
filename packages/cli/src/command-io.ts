/** Where a command writes: stdout for results, stderr for messages. Tests pass their own. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** 1234567 → "1,234,567" (rounded). */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');
