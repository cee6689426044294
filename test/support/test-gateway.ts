/**
 * Starts the gateway on 127.0.0.1:0 for tests, with captured logs and a
 * simple bearer-token -> grant map (`TestGrants`) as the `GrantResolver`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Client } from 'openapi-fetch';
import { createApp, type App } from '../../runtime/app.js';
import { loadConfig, type Config } from '../../runtime/config.js';
import type { ToolModule } from '../../runtime/contract/tool-definition.js';
import type { Store } from '../../runtime/store/store.js';
import { fastPathFromTestEnvironment } from './fast-path-setting.js';
import { GrantRevokedError, type CallerGrant, type GrantResolver } from '../../runtime/mcp/grant.js';
import { boundPort } from '../../build/free-port.js';

export class LogCapture {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  get entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line));
  }
  get text(): string {
    return this.lines.join('');
  }
  clear(): void {
    this.lines.length = 0;
  }
}

/** A grant whose Aries tokens the test controls; counts refreshes. */
export class TestGrant implements CallerGrant {
  refreshes = 0;
  revoked = false;
  constructor(
    readonly grantId: string,
    readonly scopes: readonly string[],
    public token: string,
    /** What `refreshAccessToken` switches to. */
    public refreshedToken: string = token,
  ) {}
  async accessToken(): Promise<string> {
    return this.token;
  }
  async refreshAccessToken(): Promise<string> {
    this.refreshes++;
    if (this.revoked) throw new GrantRevokedError('refresh token revoked');
    this.token = this.refreshedToken;
    return this.token;
  }
  async isStale(token: string): Promise<boolean> {
    return this.revoked || token !== this.token;
  }
  async revoke(): Promise<void> {
    this.revoked = true;
  }
}

/** Maps `Authorization: Bearer <mcp token>` to a grant. */
export class TestGrants implements GrantResolver {
  private readonly byToken = new Map<string, CallerGrant>();
  add(mcpToken: string, grant: CallerGrant): this {
    this.byToken.set(mcpToken, grant);
    return this;
  }
  async resolve(req: IncomingMessage): Promise<CallerGrant | undefined> {
    const header = req.headers.authorization;
    return header?.startsWith('Bearer ') ? this.byToken.get(header.slice(7)) : undefined;
  }
}

export interface TestGateway {
  readonly url: string;
  readonly mcpUrl: string;
  readonly app: App;
  readonly logs: LogCapture;
  readonly config: Config;
  close(): Promise<void>;
}

export interface StartGatewayOptions<Paths extends object> {
  readonly tools: readonly ToolModule<Client<Paths>>[];
  readonly grants: GrantResolver;
  readonly env?: Readonly<Record<string, string>>;
  readonly now?: () => number;
  /** The safety state's store (default: the app's own memory store); two gateways sharing one act as replicas. */
  readonly store?: Store;
}

export async function startGateway<Paths extends object>(options: StartGatewayOptions<Paths>): Promise<TestGateway> {
  const config = loadConfig({ LOG_LEVEL: 'info', ...fastPathFromTestEnvironment(), ...options.env });
  const logs = new LogCapture();
  const app = createApp(config, { tools: options.tools, grants: options.grants, logDestination: logs, now: options.now, store: options.store });
  const server: Server = createServer(app.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = boundPort(server);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    mcpUrl: `${url}/mcp`,
    app,
    logs,
    config,
    close: async () => {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
