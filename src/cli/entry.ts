/** The bundled CLI's entry point (dist/cli.js). */
import { runCli } from './main.js';

await runCli(process.argv.slice(2));
