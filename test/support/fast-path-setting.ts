/**
 * Lets a whole test run choose the MCP dispatcher: `MCP_FAST_PATH=off npm test`
 * serves every in-process test gateway's `/mcp` through the SDK only, so the
 * same suites prove both paths (issue 15). Unset: each gateway's own default
 * (the lean path on). A test that sets `MCP_FAST_PATH` itself wins.
 */
export function fastPathFromTestEnvironment(): Record<string, string> {
  const chosen = process.env['MCP_FAST_PATH'];
  return chosen === undefined || chosen === '' ? {} : { MCP_FAST_PATH: chosen };
}
