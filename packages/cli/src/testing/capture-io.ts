import type { CommandIo } from '../command-io.js';

/** A CommandIo that keeps what a command printed, for tests to read. */
export function captureIo(): CommandIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}
