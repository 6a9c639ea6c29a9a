import { createRequire as __lpgCreateRequire } from 'node:module'; const require = __lpgCreateRequire(import.meta.url);
import {
  DEFAULT_SIM_HOST,
  SimKnobError,
  formatKnobHelp,
  knobArgOptions,
  knobsFromFlags,
  parseKnobs,
  sagemakerDemoTarget,
  startSimulator,
  tgiDemoTarget
} from "./chunks/chunk-UHQAEDDF.js";
import {
  BaselineFileError,
  ConfigError,
  DEFAULT_BASELINE_PATH,
  EXIT,
  RESULTS_SCHEMA_VERSION,
  TOOL_VERSION,
  appendRun,
  compareWithBaseline,
  configSchema,
  currentRunOf,
  emptyBaseline,
  executeRun,
  failsCheck,
  formatPercent,
  gateJson,
  gateScenario,
  gateSchema,
  gateSettingsFrom,
  historyOf,
  label,
  loadConfig,
  markdownTable,
  parseGateSection,
  processIO,
  readBaselineFile,
  renderGateMarkdown,
  selectScenarios,
  writeBaselineFile
} from "./chunks/chunk-CQZEDCQM.js";
import "./chunks/chunk-HJWDNSSL.js";
import "./chunks/chunk-LM4TNCEZ.js";
import "./chunks/chunk-42CON5CV.js";

// src/cli/main.ts
import { parseArgs } from "node:util";

// src/results/read.ts
import { readFile } from "node:fs/promises";
var ResultsFileError = class extends Error {
  name = "ResultsFileError";
};
function parseResults(text, file) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(`${file} is not valid JSON: ${err.message}`);
  }
  const r = data;
  if (r === null || typeof r !== "object" || r.tool?.name !== "llm-perf-gate") {
    throw new ResultsFileError(`${file} is not an llm-perf-gate results file (no tool.name "llm-perf-gate")`);
  }
  if (r.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new ResultsFileError(
      `${file} has results schemaVersion ${String(r.schemaVersion)}; this llm-perf-gate reads version ${RESULTS_SCHEMA_VERSION}`
    );
  }
  if (!Array.isArray(r.scenarios)) throw new ResultsFileError(`${file}: scenarios must be a list`);
  return data;
}
async function readResults(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new ResultsFileError(
      `cannot read results file ${file}: ${err.code ?? err.message}`
    );
  }
  return parseResults(text, file);
}

// src/cli/baseline-command.ts
import path from "node:path";

// src/cli/gate-settings.ts
import { readFile as readFile2 } from "node:fs/promises";
async function gateConfigFrom(configPath) {
  if (configPath === void 0) return gateSchema.parse({});
  let text;
  try {
    text = await readFile2(configPath, "utf8");
  } catch (err) {
    throw new ConfigError(
      configPath,
      [
        {
          path: "",
          message: `cannot read: ${err.code ?? err.message}`
        }
      ],
      "Cannot read config"
    );
  }
  return parseGateSection(text, configPath);
}

// src/cli/usage-error.ts
var UsageError = class extends Error {
  name = "UsageError";
};
function positiveIntOption(name, value) {
  if (value === void 0) return void 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name}: expected a positive integer, got "${String(value)}"`);
  return n;
}

// src/cli/baseline-command.ts
var BASELINE_OPTIONS = {
  results: { type: "string", short: "r" },
  baseline: { type: "string", short: "b" },
  config: { type: "string", short: "c" },
  id: { type: "string" },
  commit: { type: "string" }
};
async function baselineCommand(io, values, positionals) {
  if (positionals[0] !== "update" || positionals.length !== 1) {
    throw new UsageError("expected `llm-perf-gate baseline update --results results.json [...]`");
  }
  const resultsPath = values.results;
  if (resultsPath === void 0)
    throw new UsageError("--results is required (a results.json written by run)");
  const at = (p) => path.resolve(io.cwd, p);
  const baselinePath = at(values.baseline ?? DEFAULT_BASELINE_PATH);
  const configPath = values.config;
  const gate = await gateConfigFrom(configPath === void 0 ? void 0 : at(configPath));
  const result = await readResults(at(resultsPath));
  const current = await readBaselineFile(baselinePath) ?? emptyBaseline();
  const { baseline, notes } = appendRun(current, result, {
    id: values.id ?? result.startedAt,
    ...values.commit ? { commit: values.commit } : {},
    recordedAt: result.finishedAt,
    acceptedBy: "manual",
    history: gate.history
  });
  await writeBaselineFile(baselinePath, baseline);
  for (const note of notes) io.err(`${note}
`);
  io.err(`wrote ${baselinePath}
`);
  return EXIT.ok;
}

// src/cli/calibrate-command.ts
import path4 from "node:path";

// src/cli/profile-config.ts
import path2 from "node:path";
function configOption(values) {
  const configPath = values.config;
  if (configPath === void 0)
    throw new UsageError("--config is required (the YAML or JSON profile to run)");
  return configPath;
}
async function loadProfileConfig(io, configPath, values) {
  const absolute = path2.resolve(io.cwd, configPath);
  const shown = path2.isAbsolute(configPath) ? configPath : path2.relative(process.cwd(), absolute) || absolute;
  const loaded = await loadConfig(shown, io.env);
  io.addSecrets(loaded.secrets);
  const only = values.scenario;
  try {
    selectScenarios(loaded.config, only);
  } catch (err) {
    throw new UsageError(`--scenario: ${err.message}`);
  }
  return { loaded, only };
}

// src/cli/run-command.ts
import path3 from "node:path";
var DEFAULT_OUT_DIR = "perf-results";
var RUN_OPTIONS = {
  config: { type: "string", short: "c" },
  scenario: { type: "string", short: "s", multiple: true },
  out: { type: "string", short: "o" },
  quiet: { type: "boolean", short: "q" }
};
async function runCommand(io, values) {
  const { loaded, only } = await loadProfileConfig(io, configOption(values), values);
  const outcome = await executeRun(io, {
    config: loaded.config,
    secrets: loaded.secrets,
    outDir: path3.resolve(io.cwd, values.out ?? DEFAULT_OUT_DIR),
    only,
    progress: values.quiet !== true
  });
  return outcome.exitCode;
}

// src/cli/calibrate-command.ts
var CALIBRATE_OPTIONS = {
  config: { type: "string", short: "c" },
  runs: { type: "string", short: "n" },
  baseline: { type: "string", short: "b" },
  scenario: { type: "string", short: "s", multiple: true },
  out: { type: "string", short: "o" },
  quiet: { type: "boolean", short: "q" }
};
async function calibrateCommand(io, values) {
  const configPath = configOption(values);
  const runs = positiveIntOption("runs", values.runs) ?? 5;
  if (runs < 2) throw new UsageError("--runs: at least 2 runs are needed to see run-to-run noise");
  const baselinePath = path4.resolve(io.cwd, values.baseline ?? DEFAULT_BASELINE_PATH);
  const { loaded, only } = await loadProfileConfig(io, configPath, values);
  const settings = gateSettingsFrom(loaded.config.gate);
  const outRoot = path4.resolve(
    io.cwd,
    values.out ?? path4.join(DEFAULT_OUT_DIR, "calibrate")
  );
  let baseline = await readBaselineFile(baselinePath) ?? emptyBaseline();
  const stamp = Date.now().toString(36);
  let last;
  for (let k = 1; k <= runs; k++) {
    io.err(`calibration run ${k} of ${runs}
`);
    const salt = `${loaded.config.prompt_salt ?? "calibrate"}-${stamp}-${k}`;
    const outcome = await executeRun(io, {
      config: { ...loaded.config, prompt_salt: salt },
      secrets: loaded.secrets,
      outDir: path4.join(outRoot, `run-${k}`),
      only,
      progress: values.quiet !== true
    });
    if (outcome.exitCode !== EXIT.ok) {
      io.err(
        `calibration stopped: run ${k} did not complete (${outcome.result.status}); the baseline was not changed
`
      );
      return outcome.exitCode;
    }
    const appended = appendRun(baseline, outcome.result, {
      id: `calibrate-${stamp}-${k}`,
      recordedAt: outcome.result.finishedAt,
      acceptedBy: "calibrate",
      history: loaded.config.gate.history
    });
    baseline = appended.baseline;
    for (const note of appended.notes) io.err(`${note}
`);
    last = outcome.result;
  }
  await writeBaselineFile(baselinePath, baseline);
  const recorded = (last?.scenarios ?? []).map((s) => ({
    name: s.name,
    runs: baseline.scenarios[s.name]?.runs.filter((r) => r.id.startsWith(`calibrate-${stamp}-`)).length ?? 0
  }));
  io.err(`wrote ${baselinePath}: ${recorded.map((r) => `${r.name} ${r.runs} of ${runs} runs`).join(", ")}
`);
  if (last) io.out(`${renderNoise(last, baseline, settings)}
`);
  const short = recorded.filter((r) => r.runs < 2);
  if (short.length > 0) {
    io.err(
      `error: ${short.map((r) => r.name).join(", ")} recorded fewer than 2 valid runs, too few to measure noise; see the notes above for why the others were not recorded
`
    );
    return EXIT.invalid;
  }
  return EXIT.ok;
}
function renderNoise(last, baseline, settings) {
  const rows = [["scenario", "metric", "run-to-run spread", "smallest detectable regression", "tolerance"]];
  for (const s of last.scenarios) {
    const entry = baseline.scenarios[s.name];
    if (!entry) continue;
    const verdict = gateScenario(currentRunOf(s), historyOf(entry), settings);
    for (const v of verdict.verdicts) {
      rows.push([
        s.name,
        label(v),
        v.spread === null ? "\u2014" : formatPercent(v.spread),
        v.smallestDetectable === null ? "\u2014" : formatPercent(v.smallestDetectable),
        v.scale === "difference" ? `${(v.tolerance * 100).toFixed(2)} pts` : formatPercent(v.tolerance, 0)
      ]);
    }
  }
  return [
    "Run-to-run noise measured by calibrate (the spread is the relative standard deviation between runs; a regression",
    "smaller than the smallest detectable one is reported as inconclusive rather than failed):",
    "",
    markdownTable(rows, { align: ["l", "l", "r", "r", "r"] })
  ].join("\n");
}

// src/cli/compare-command.ts
import path5 from "node:path";
var COMPARE_OPTIONS = {
  baseline: { type: "string", short: "b" },
  results: { type: "string", short: "r" },
  config: { type: "string", short: "c" },
  format: { type: "string", short: "f" },
  "fail-on": { type: "string" }
};
var FORMATS = ["text", "markdown", "json"];
var FAIL_ON = ["fail", "warn", "never"];
function oneOf(name, value, allowed, fallback) {
  if (value === void 0) return fallback;
  if (allowed.includes(value)) return value;
  throw new UsageError(`--${name}: expected one of ${allowed.join(", ")}, got "${String(value)}"`);
}
async function compareCommand(io, values) {
  const resultsPath = values.results;
  if (resultsPath === void 0)
    throw new UsageError("--results is required (a results.json written by run)");
  const format = oneOf("format", values.format, FORMATS, "text");
  const failOn = oneOf("fail-on", values["fail-on"], FAIL_ON, "fail");
  const at = (p) => path5.resolve(io.cwd, p);
  const baselinePath = at(values.baseline ?? DEFAULT_BASELINE_PATH);
  const configPath = values.config;
  const settings = gateSettingsFrom(
    await gateConfigFrom(configPath === void 0 ? void 0 : at(configPath))
  );
  const result = await readResults(at(resultsPath));
  const baseline = await readBaselineFile(baselinePath);
  if (baseline === void 0)
    io.err(`no baseline at ${baselinePath}: every scenario passes as "no baseline yet"
`);
  const report = compareWithBaseline(result, baseline, settings);
  if (format === "json") io.out(`${JSON.stringify(gateJson(report), null, 2)}
`);
  else io.out(renderGateMarkdown(report, result, { variant: format === "markdown" ? "summary" : "text" }));
  return failsCheck(report, failOn) ? EXIT.regression : EXIT.ok;
}

// src/cli/demo-command.ts
import path6 from "node:path";

// src/sim/bedrock-demo.ts
var DEMO_MODEL_ARN = "arn:aws:bedrock:us-east-1:000000000000:imported-model/llm-perf-gate-sim";
var SIMULATOR_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "LLMPERFGATESIMULATOR",
  AWS_SECRET_ACCESS_KEY: "llm-perf-gate-simulator-not-a-secret"
};
function bedrockDemoTarget(addresses, api, handler = "http2") {
  return {
    provider: "bedrock",
    model_id: DEMO_MODEL_ARN,
    region: "us-east-1",
    api,
    ...api === "invoke" ? { invoke_body: "llama" } : {},
    endpoint_url: handler === "http2" ? addresses.h2Origin : addresses.origin,
    http: { handler }
  };
}
function useSimulatorCredentials(env = process.env) {
  if (env["AWS_ACCESS_KEY_ID"] !== void 0 && env["AWS_SECRET_ACCESS_KEY"] !== void 0) return false;
  env["AWS_ACCESS_KEY_ID"] = SIMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID;
  env["AWS_SECRET_ACCESS_KEY"] = SIMULATOR_CREDENTIALS.AWS_SECRET_ACCESS_KEY;
  delete env["AWS_SESSION_TOKEN"];
  return true;
}

// src/sim/worker.ts
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
var WORKER_FILE_CANDIDATES = ["./worker-entry.js", "./sim-worker.js", "../sim-worker.js"];
function defaultWorkerFile(base = import.meta.url) {
  for (const candidate of WORKER_FILE_CANDIDATES) {
    const url = new URL(candidate, base);
    if (existsSync(url)) return url;
  }
  const folder = fileURLToPath(new URL(".", base));
  throw new Error(
    `simulator worker script not found relative to ${folder} (looked for ${WORKER_FILE_CANDIDATES.join(", ")}); build or bundle src/sim/worker-entry.ts, or pass options.workerFile`
  );
}
function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}
async function startSimulatorInWorker(knobs = {}, options = {}) {
  const parsed = parseKnobs(knobs);
  const start = {
    knobs: parsed,
    port: options.port ?? 0,
    host: options.host ?? DEFAULT_SIM_HOST
  };
  const worker = new Worker(options.workerFile ?? defaultWorkerFile(), { workerData: start });
  const pending = /* @__PURE__ */ new Map();
  let nextId = 1;
  let exited;
  const ready = new Promise((resolve, reject) => {
    const fail = (error) => {
      exited ??= error;
      reject(error);
      for (const call2 of pending.values()) call2.reject(error);
      pending.clear();
    };
    worker.on("message", (message) => {
      if (message.type === "ready") resolve(message.addresses);
      else if (message.type === "failed") {
        reject(new Error(`simulator worker failed to start: ${message.message}`));
        void worker.terminate();
      } else {
        const call2 = pending.get(message.id);
        pending.delete(message.id);
        if (message.type === "error") call2?.reject(new Error(`simulator worker: ${message.message}`));
        else call2?.resolve(message);
      }
    });
    worker.on("error", (error) => fail(new Error(`simulator worker crashed: ${errorText(error)}`)));
    worker.on("exit", (code) => fail(new Error(`simulator worker exited (code ${code})`)));
  });
  const call = (op) => {
    if (exited !== void 0) return Promise.reject(exited);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op });
    });
  };
  const addresses = await ready;
  let closing;
  return {
    ...addresses,
    knobs: parsed,
    truth: async () => {
      const answer = await call("truth");
      return answer.type === "result" ? answer.truth ?? [] : [];
    },
    clearTruth: async () => {
      await call("clearTruth");
    },
    close: () => {
      closing ??= (async () => {
        if (exited === void 0) await call("close");
        await worker.terminate();
      })();
      return closing;
    }
  };
}

// src/cli/demo-command.ts
var DEMO_OPTIONS = {
  provider: { type: "string" },
  api: { type: "string" },
  requests: { type: "string" },
  concurrency: { type: "string" },
  out: { type: "string", short: "o" },
  quiet: { type: "boolean", short: "q" },
  ...knobArgOptions()
};
var DEMO_PROVIDERS = ["openai", "bedrock", "sagemaker", "tgi"];
var DEMO_APIS = {
  openai: ["chat", "completions"],
  bedrock: ["converse", "invoke"],
  sagemaker: ["tgi", "messages"],
  tgi: ["generate_stream"]
};
function demoTarget(addresses, provider, api) {
  const apis = DEMO_APIS[provider];
  const chosen = api ?? apis[0];
  if (!apis.includes(chosen)) {
    throw new UsageError(
      `--api: ${provider} takes ${apis.map((a) => `"${a}"`).join(" or ")}, got "${chosen}"`
    );
  }
  switch (provider) {
    case "openai":
      return {
        provider,
        base_url: addresses.url,
        model: "sim-llama-8b",
        api: chosen
      };
    case "bedrock":
      return bedrockDemoTarget(addresses, chosen);
    case "sagemaker":
      return sagemakerDemoTarget(addresses, chosen);
    case "tgi":
      return tgiDemoTarget(addresses);
  }
}
function demoConfig(target, requests = 160, concurrency = 16) {
  return configSchema.parse({
    target,
    readiness: { timeout_s: 30 },
    scenarios: [
      {
        name: "demo-chat",
        concurrency,
        requests,
        warmup_requests: Math.min(concurrency, requests),
        input_tokens: { mean: 512, stddev: 128, min: 64, max: 1024 },
        output_tokens: { mean: 128, stddev: 32, min: 16, max: 256 },
        seed: 42
      }
    ]
  });
}
async function demoCommand(io, values) {
  const provider = values.provider ?? "openai";
  if (!DEMO_PROVIDERS.includes(provider)) {
    throw new UsageError(`--provider: expected one of ${DEMO_PROVIDERS.join(", ")}, got "${provider}"`);
  }
  const knobs = knobsFromFlags(values);
  const requests = positiveIntOption("requests", values.requests);
  const concurrency = positiveIntOption("concurrency", values.concurrency);
  const sim = await startSimulatorInWorker(knobs);
  io.err(`simulated endpoint listening at ${sim.origin} (OpenAI ${sim.url}, HTTP/2 ${sim.h2Origin})
`);
  if (provider === "bedrock" || provider === "sagemaker") useSimulatorCredentials();
  try {
    const outcome = await executeRun(io, {
      config: demoConfig(
        demoTarget(sim, provider, values.api),
        requests,
        concurrency
      ),
      secrets: [],
      outDir: path6.resolve(io.cwd, values.out ?? path6.join(DEFAULT_OUT_DIR, "demo")),
      progress: values.quiet !== true
    });
    return outcome.exitCode === EXIT.ok ? EXIT.ok : outcome.exitCode;
  } finally {
    await sim.close();
  }
}

// src/cli/sim-command.ts
var SIM_OPTIONS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  ...knobArgOptions()
};
var SIM_HELP = `Simulator knobs:
${formatKnobHelp()}`;
async function simCommand(io, values) {
  const port = values.port === void 0 ? 8e3 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port: expected a port number 0-65535, got "${String(values.port)}"`);
  }
  const sim = await startSimulator(knobsFromFlags(values), {
    port,
    ...values.host !== void 0 ? { host: values.host } : {}
  });
  io.out(`simulated OpenAI-compatible endpoint at ${sim.url} (Ctrl-C to stop)
`);
  await new Promise((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await sim.close();
  return EXIT.ok;
}

// src/cli/main.ts
var COMMANDS = {
  run: {
    summary: "run a config against an endpoint and write results",
    usage: "llm-perf-gate run --config perf.yml [--scenario NAME ...] [--out DIR] [--quiet]",
    options: RUN_OPTIONS,
    run: runCommand
  },
  demo: {
    summary: "run a short profile against the built-in simulated endpoint",
    usage: "llm-perf-gate demo [--provider openai|bedrock|sagemaker|tgi] [--api NAME] [--requests N] [--concurrency N] [--out DIR] [simulator knobs]",
    options: DEMO_OPTIONS,
    help: SIM_HELP,
    run: demoCommand
  },
  compare: {
    summary: "compare a results.json with a baseline: the gate's verdicts and table",
    usage: "llm-perf-gate compare --results results.json [--baseline PATH] [--config perf.yml] [--format text|markdown|json] [--fail-on fail|warn|never]",
    options: COMPARE_OPTIONS,
    run: compareCommand
  },
  baseline: {
    summary: "append a results.json to the baseline history on disk",
    usage: "llm-perf-gate baseline update --results results.json [--baseline PATH] [--config perf.yml] [--id ID] [--commit SHA]",
    options: BASELINE_OPTIONS,
    positionals: true,
    run: baselineCommand
  },
  calibrate: {
    summary: "run the profile K times, seed the baseline and print the run-to-run noise",
    usage: "llm-perf-gate calibrate --config perf.yml [--runs K] [--baseline PATH] [--scenario NAME ...] [--out DIR]",
    options: CALIBRATE_OPTIONS,
    run: calibrateCommand
  },
  sim: {
    summary: "serve the simulated OpenAI-compatible endpoint for manual use",
    usage: "llm-perf-gate sim [--port N] [--host ADDR] [simulator knobs]",
    options: SIM_OPTIONS,
    help: SIM_HELP,
    run: simCommand
  }
};
function usage() {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `llm-perf-gate ${TOOL_VERSION} \u2014 load-test an LLM endpoint and gate regressions`,
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `llm-perf-gate <command> --help` for its options.",
    "Exit codes: 0 ok, 1 regression, 2 bad config or arguments, 3 endpoint never ready, 4 cancelled, 5 internal error,",
    "6 calibrate recorded too few valid runs."
  ].join("\n");
}
async function main(argv, io) {
  const [name, ...rest] = argv;
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    io.out(`${usage()}
`);
    return name === void 0 ? EXIT.config : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.out(`${TOOL_VERSION}
`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === void 0) {
    io.err(`error: unknown command "${name}"

${usage()}
`);
    return EXIT.config;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(`usage: ${command.usage}
${helpFor(command)}
`);
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: command.options,
      allowPositionals: command.positionals === true,
      strict: true
    });
  } catch (err) {
    io.err(`error: ${err.message}
usage: ${command.usage}
`);
    return EXIT.config;
  }
  try {
    return await command.run(io, parsed.values, parsed.positionals);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof SimKnobError || err instanceof UsageError || err instanceof BaselineFileError || err instanceof ResultsFileError) {
      io.err(`error: ${err.message}
`);
      return EXIT.config;
    }
    io.err(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}
`);
    return EXIT.internal;
  }
}
function helpFor(command) {
  const knobFlags = new Set(command.help === SIM_HELP ? Object.keys(knobArgOptions()) : []);
  const own = Object.entries(command.options).filter(([flag]) => !knobFlags.has(flag)).map(
    ([flag, spec]) => `  --${flag}${spec.short ? `, -${spec.short}` : ""}${spec.type === "string" ? " VALUE" : ""}`
  );
  return [...own, ...command.help ? ["", command.help] : []].join("\n");
}
async function runCli(argv) {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig) => {
    signals++;
    if (signals > 1) process.exit(EXIT.aborted);
    process.stderr.write(
      `
received ${sig}: stopping, aborting in-flight requests, keeping what finished\u2026
`
    );
    controller.abort(new Error(sig));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const code = await main(argv, processIO(controller.signal));
  process.exitCode = code;
}

// src/cli/entry.ts
await runCli(process.argv.slice(2));
