export { runCli } from './run-cli.js';
export type { CliIo, OutputStream } from './cli-io.js';
