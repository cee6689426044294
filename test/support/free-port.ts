/** Loopback ports for tests and benchmarks: the one implementation lives with the build, whose priming start needs it too. */
export { boundPort, freePort } from '../../build/free-port.js';
