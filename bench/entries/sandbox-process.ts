/**
 * Bench-only entry: the sandbox alone on 127.0.0.1:0 with the market clock
 * off (quotes do not move between calls), printing one JSON ready line with
 * its URL and demo credentials to stderr. Stops on SIGTERM.
 */
import { createSandbox } from '../../sandbox/app.js';

const sandbox = createSandbox({ tickIntervalMs: 0 });
const listening = await sandbox.listen(0, '127.0.0.1');
process.stderr.write(`${JSON.stringify({ ready: true, url: listening.url, demo: sandbox.demo })}\n`);
process.once('SIGTERM', () => {
  void listening.close().then(() => process.exit(0));
});
