/**
 * A scenario expands into load points: one, or one per level of a sweep (`concurrency: [1, 4, 16]`, `rate: [2, 8]`).
 * Each point is run and reported like a scenario of its own, named `chat@c4` / `chat@r8`, so the gate compares
 * every point with its own history. All points of a sweep send the same workload (same lengths, same corpus text);
 * only a point label in each prompt's first line differs, so the server's prefix cache cannot serve one point from
 * another.
 */
import type { ScenarioConfig } from '../config/schema.js';

export type Arrival = ScenarioConfig['arrival'];

/** The load one point puts on the endpoint. */
export type LoadShape =
  | { readonly mode: 'closed'; readonly concurrency: number }
  | {
      readonly mode: 'open';
      /** Target requests per second (after the ramp). */
      readonly rate: number;
      readonly arrival: Arrival;
      /** Gamma shape (arrival gamma); 1 otherwise. */
      readonly burstiness: number;
      readonly rampUpS: number;
      readonly maxInFlight?: number;
    };

export interface SweepPosition {
  /** The scenario the sweep belongs to. */
  readonly scenario: string;
  readonly parameter: 'concurrency' | 'rate';
  readonly value: number;
  readonly index: number;
  readonly points: number;
}

export interface ScenarioPoint {
  /** The name reports and the baseline use: the scenario's, with `@c<N>` or `@r<N>` for a sweep point. */
  readonly name: string;
  readonly scenario: ScenarioConfig;
  readonly load: LoadShape;
  /** Set for the points of a sweep. */
  readonly sweep?: SweepPosition;
}

/** `c16`, `r2.5`: the label a point carries in its name. */
export function pointLabel(load: LoadShape): string {
  return load.mode === 'closed' ? `c${load.concurrency}` : `r${load.rate}`;
}

/** How many requests a point may have in flight at most (closed loop: exactly its concurrency). */
export function inFlightLimit(load: LoadShape): number | undefined {
  return load.mode === 'closed' ? load.concurrency : load.maxInFlight;
}

export function expandScenario(s: ScenarioConfig): ScenarioPoint[] {
  const closed = s.concurrency !== undefined;
  const raw = closed ? s.concurrency : s.rate;
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const shape = (value: number): LoadShape =>
    closed
      ? { mode: 'closed', concurrency: value }
      : {
          mode: 'open',
          rate: value,
          arrival: s.arrival,
          burstiness: s.burstiness,
          rampUpS: s.ramp_up_s,
          ...(s.max_in_flight !== undefined ? { maxInFlight: s.max_in_flight } : {}),
        };
  if (!Array.isArray(raw)) return [{ name: s.name, scenario: s, load: shape(values[0]!) }];
  return values.map((value, index) => {
    const load = shape(value);
    return {
      name: `${s.name}@${pointLabel(load)}`,
      scenario: s,
      load,
      sweep: {
        scenario: s.name,
        parameter: closed ? 'concurrency' : 'rate',
        value,
        index,
        points: values.length,
      },
    };
  });
}
