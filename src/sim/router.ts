/**
 * Routes each HTTP request of the simulator to the wire face that owns its path. Every face shares one
 * {@link Simulation} (one timing model, one truth log), so a scenario measured through any protocol sees the same
 * engine.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createBedrockFace } from './bedrock-face.js';
import { sendJson } from './http-io.js';
import { createOpenAIFace } from './openai-face.js';
import { errorBody } from './openai-wire.js';
import { createSageMakerFace } from './sagemaker-face.js';
import type { Simulation } from './simulation.js';
import { createTgiFace } from './tgi-face.js';

/** A wire face: handles the request and returns true when `path` (without the query) is one of its routes. */
export type Face = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

/** The faces served over HTTP/1.1, tried in order. */
export function createFaces(sim: Simulation): Face[] {
  return [createOpenAIFace(sim), createTgiFace(sim), createSageMakerFace(sim), createBedrockFace(sim)];
}

export function createSimListener(sim: Simulation): RequestListener {
  const faces = createFaces(sim);
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    for (const face of faces) if (face(req, res, path)) return;
    sendJson(res, 404, errorBody(404, `unknown route: ${req.method ?? 'GET'} ${path}`, 'NotFoundError'));
  };
}
