/** Time comes from here, never from Date.now() in domain code, so tests and test clocks can move it. */
export interface Clock {
  /** Unix seconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };

export function fixedClock(at: number): Clock & { set(t: number): void; advance(s: number): void } {
  let t = at;
  return {
    now: () => t,
    set: (v) => {
      t = v;
    },
    advance: (s) => {
      t += s;
    },
  };
}
