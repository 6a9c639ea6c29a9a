import { createRequire as __lpgCreateRequire } from 'node:module'; const require = __lpgCreateRequire(import.meta.url);
import {
  startSimulator
} from "./chunks/chunk-UHQAEDDF.js";
import "./chunks/chunk-HJWDNSSL.js";
import "./chunks/chunk-LM4TNCEZ.js";
import "./chunks/chunk-42CON5CV.js";

// src/sim/worker-entry.ts
import { parentPort, workerData } from "node:worker_threads";
function post(message) {
  parentPort?.postMessage(message);
}
async function answer(handle, call) {
  switch (call.op) {
    case "truth":
      return { type: "result", id: call.id, truth: await handle.truth() };
    case "clearTruth":
      await handle.clearTruth();
      return { type: "result", id: call.id };
    case "close":
      await handle.close();
      return { type: "result", id: call.id };
  }
}
async function main() {
  if (parentPort === null) throw new Error("sim worker entry: must run in a worker thread (no parentPort)");
  const start = workerData;
  let handle;
  try {
    handle = await startSimulator(start.knobs, { port: start.port, host: start.host });
  } catch (error) {
    post({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    return;
  }
  parentPort.on("message", (call) => {
    answer(handle, call).then(
      post,
      (error) => post({ type: "error", id: call.id, message: error instanceof Error ? error.message : String(error) })
    );
  });
  post({
    type: "ready",
    addresses: { url: handle.url, origin: handle.origin, port: handle.port, h2Origin: handle.h2Origin }
  });
}
void main();
