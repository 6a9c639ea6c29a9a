/**
 * The section registry: `npm run bench` runs these in order (or those named by --only). A new measurement is one
 * module exporting a {@link BenchSection} and one line here.
 */
import { chunkRateSection } from './chunk-rate.js';
import { loadShapesSection } from './load-shapes.js';
import { memorySection } from './memory.js';
import type { BenchSection } from './section.js';
import { ttftOverheadSection } from './ttft-overhead.js';

export const SECTIONS: readonly BenchSection[] = [
  ttftOverheadSection,
  chunkRateSection,
  memorySection,
  loadShapesSection,
];
