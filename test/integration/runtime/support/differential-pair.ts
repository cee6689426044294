/**
 * Two gateways that differ only in `MCP_FAST_PATH` (on / off), each on its
 * own fixture upstream so both see the same upstream state for the same
 * sequence of requests, and a raw HTTP client that sends exactly the headers
 * it is given (fetch would add `Accept` and `Content-Type` of its own).
 *
 * `exchange` runs one case (a sequence of requests, with faults and a grant)
 * on both and returns the two sequences of answers, normalized for
 * comparison: status, every header except the ones that describe the
 * connection or the body framing, and the body parsed as JSON when it is JSON.
 * `lean` says whether the fast-path gateway answered without the SDK's Node
 * adapter: the adapter streams its answer (`Transfer-Encoding: chunked`),
 * the lean dispatcher sends `Content-Length`.
 */
import { request as httpRequest } from 'node:http';
import type { CallerGrant } from '../../../../runtime/mcp/grant.js';
import { ALL_FIXTURE_SCOPES, fixtureTools } from '../../../runtime/fixtures/fixture-tools.js';
import { startFixtureUpstream, type Fault, type FixtureUpstream } from '../../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from '../../../support/test-gateway.js';

/** The gateways' upstream time limit; delay faults longer than this model timeouts (generous: a cold first call on a busy machine must not time out). */
export const TOOL_TIMEOUT_MS = 1_000;

/** Headers that describe the connection or the framing, not the answer. */
const FRAMING_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export interface WireRequest {
  readonly httpMethod?: string;
  readonly path?: string;
  /** Sent as given; `authorization` is added unless `token` is null. */
  readonly headers: Readonly<Record<string, string>>;
  /** A string is sent verbatim; anything else as JSON. */
  readonly body?: unknown;
  /** `null`: no Authorization header. */
  readonly token?: null;
  /** Sends the body with `Transfer-Encoding: chunked` (two chunks) instead of a `Content-Length`. */
  readonly chunked?: boolean;
}

export type GrantKind = 'full' | 'read-only' | 'stale-token' | 'revoked' | 'exploding';

export interface DifferentialCase {
  readonly name: string;
  readonly steps: readonly WireRequest[];
  readonly faults?: readonly Fault[];
  readonly grant?: GrantKind;
  /** Every step must take the lean path when it is on (and the SDK's when it is off). */
  readonly lean?: boolean;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Answered with Content-Length rather than chunked (the lean dispatcher's framing). */
  readonly lean: boolean;
}

interface Side {
  readonly upstream: FixtureUpstream;
  readonly grants: TestGrants;
  readonly gateway: TestGateway;
}

/** Granted scopes that cannot be checked: drives the "method body throws" answer (both paths only copy the list before a method runs). */
class ExplodingScopes extends Array<string> {
  override includes(): boolean {
    throw new Error('grant store exploded');
  }
}

function grantFor(kind: GrantKind, id: string): CallerGrant {
  switch (kind) {
    case 'full':
      return new TestGrant(id, ALL_FIXTURE_SCOPES, 'token-1');
    case 'read-only':
      return new TestGrant(id, ['account:information', 'market:information'], 'token-1');
    case 'stale-token':
      return new TestGrant(id, ALL_FIXTURE_SCOPES, 'stale', 'token-1');
    case 'revoked': {
      const grant = new TestGrant(id, ALL_FIXTURE_SCOPES, 'stale');
      grant.revoked = true;
      return grant;
    }
    case 'exploding':
      return new TestGrant(id, ExplodingScopes.from(['market:information']), 'token-1');
  }
}

export interface DifferentialPair {
  readonly maxBodyBytes: number;
  exchange(testCase: DifferentialCase): Promise<{ fast: Answer[]; sdk: Answer[] }>;
  close(): Promise<void>;
}

export async function startDifferentialPair(env: Readonly<Record<string, string>> = {}): Promise<DifferentialPair> {
  const now = (): number => 1_800_000_000_000;
  const start = async (fastPath: 'on' | 'off'): Promise<Side> => {
    const upstream = await startFixtureUpstream();
    const grants = new TestGrants();
    const gateway = await startGateway({
      tools: fixtureTools,
      grants,
      env: {
        ARIES_API_BASE: upstream.url,
        TOOL_TIMEOUT_MS: String(TOOL_TIMEOUT_MS),
        TOOL_CALLS_PER_MINUTE: '5',
        MAX_BODY_BYTES: '4096',
        ...env,
        MCP_FAST_PATH: fastPath,
      },
      now,
    });
    return { upstream, grants, gateway };
  };
  const fast = await start('on');
  const sdk = await start('off');
  let cases = 0;

  async function run(side: Side, testCase: DifferentialCase, token: string): Promise<Answer[]> {
    side.upstream.reset();
    for (const fault of testCase.faults ?? []) side.upstream.fail(fault);
    side.grants.add(token, grantFor(testCase.grant ?? 'full', `grant-${token}`));
    const answers: Answer[] = [];
    for (const step of testCase.steps) answers.push(await send(side.gateway.url, step, token));
    // A delayed upstream request still takes effect after the gateway stopped waiting: let it land before the other side runs.
    const delayed = Math.max(0, ...(testCase.faults ?? []).map((fault) => fault.delayMs ?? 0));
    if (delayed > 0) await new Promise((resolve) => setTimeout(resolve, delayed + 50));
    return answers;
  }

  return {
    maxBodyBytes: 4096,
    async exchange(testCase) {
      const token = `diff-${++cases}`;
      return { fast: await run(fast, testCase, token), sdk: await run(sdk, testCase, token) };
    },
    async close() {
      for (const side of [fast, sdk]) {
        await side.gateway.close();
        await side.upstream.close();
      }
    },
  };
}

function send(baseUrl: string, step: WireRequest, token: string): Promise<Answer> {
  const body = step.body === undefined ? undefined : typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
  const headers: Record<string, string> = { ...step.headers };
  if (step.token !== null) headers['authorization'] = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(step.path ?? '/mcp', baseUrl), { method: step.httpMethod ?? 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const kept: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (!FRAMING_HEADERS.has(name) && value !== undefined) kept[name] = String(value);
        // A request id the client did not send is random by design: only its shape is compared.
        if (headers['x-request-id'] === undefined && kept['x-request-id'] !== undefined) kept['x-request-id'] = kept['x-request-id'].replace(/[0-9a-f]/g, 'x');
        resolve({
          status: res.statusCode ?? 0,
          headers: kept,
          body: parsed(text, res.headers['content-type']),
          lean: res.headers['content-length'] !== undefined && res.headers['transfer-encoding'] === undefined,
        });
      });
    });
    req.on('error', reject);
    if (step.chunked === true && body !== undefined) {
      const half = Math.floor(body.length / 2);
      req.write(body.slice(0, half));
      req.end(body.slice(half));
    } else req.end(body);
  });
}

function parsed(text: string, contentType: string | undefined): unknown {
  if (contentType?.includes('json') !== true || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
