/**
 * Open-loop arrival schedules: when request i is due, as a pure function of the seed and the load shape, so a
 * schedule is the same on every machine. Gaps are constant (1 / rate), exponential (Poisson process) or gamma
 * (shape = burstiness: 1 is Poisson, below 1 burstier, above 1 smoother; the mean gap is always 1 / rate). A ramp-up
 * raises the rate linearly from 0 to its target over rampUpS: arrivals of the unramped process are mapped through the
 * inverse of the ramp's cumulative intensity, which keeps the process's character while thinning its start.
 */
import { rngForKey, splitUint53, type Sfc32 } from '../workload/random.js';
import type { LoadShape } from './points.js';

type OpenLoad = Extract<LoadShape, { mode: 'open' }>;

/** Stream id of the arrival process within a seed (the workload uses 1 and 2 for its sequences). */
const ARRIVAL_STREAM = 3;

/** A standard gamma deviate with shape k (Marsaglia–Tsang; k < 1 by boosting with U^(1/k)). */
export function gammaDeviate(rng: Sfc32, k: number): number {
  if (k < 1) return gammaDeviate(rng, k + 1) * Math.pow(1 - rng.nextFloat(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.nextNormal();
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - rng.nextFloat();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Arrival times (ms from the start of the loop) of successive requests. */
export interface ArrivalSchedule {
  next(): number;
}

export function arrivalSchedule(load: OpenLoad, seed: number): ArrivalSchedule {
  const rng = rngForKey([...splitUint53(seed), ARRIVAL_STREAM]);
  const meanGapS = 1 / load.rate;
  const gap = (): number => {
    switch (load.arrival) {
      case 'constant':
        return meanGapS;
      case 'poisson':
        return -Math.log(1 - rng.nextFloat()) * meanGapS;
      case 'gamma':
        return gammaDeviate(rng, load.burstiness) * (meanGapS / load.burstiness);
    }
  };
  // Unramped arrival times in seconds; the first request goes at time 0.
  let unramped = 0;
  let first = true;
  const ramp = load.rampUpS;
  return {
    next(): number {
      if (first) first = false;
      else unramped += gap();
      if (ramp <= 0) return unramped * 1000;
      // Cumulative intensity of the ramp: Λ(t) = rate·t²/(2R) for t ≤ R, rate·(t − R/2) after; u = rate·unramped.
      const u = load.rate * unramped;
      const t =
        u <= (load.rate * ramp) / 2 ? Math.sqrt((2 * ramp * u) / load.rate) : u / load.rate + ramp / 2;
      return t * 1000;
    },
  };
}
