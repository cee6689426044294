/**
 * Everything the sandbox remembers, in one object: OAuth clients, users and
 * their consents, authorizations in progress, codes, tokens, accounts,
 * orders, the market and the fault switch. Memory only; a restart forgets it.
 */
import { Market } from '../market/market.js';
import { findInstrument } from '../market/universe.js';
import type { SandboxConfig } from '../options.js';
import { AccountBook, type Account } from './accounts.js';
import { AuthorizationCodes } from './authorization-codes.js';
import { AuthorizationSessions } from './authorization-sessions.js';
import { ClientRegistry } from './clients.js';
import { FaultSwitch } from './faults.js';
import { ConsentLedger } from './grants.js';
import { OrderBook } from './order-book.js';
import { TokenStore } from './tokens.js';
import { TradingDesk } from './trading-desk.js';
import { UserDirectory, type User } from './users.js';

export interface SandboxState {
  readonly clients: ClientRegistry;
  readonly users: UserDirectory;
  readonly consents: ConsentLedger;
  readonly sessions: AuthorizationSessions;
  readonly codes: AuthorizationCodes;
  readonly tokens: TokenStore;
  readonly accounts: AccountBook;
  readonly orders: OrderBook;
  readonly market: Market;
  readonly desk: TradingDesk;
  readonly faults: FaultSwitch;
  readonly startingCash: number;
}

export function createSandboxState(config: SandboxConfig): SandboxState {
  const accounts = new AccountBook();
  const orders = new OrderBook();
  const market = new Market(config.seed);
  return {
    clients: new ClientRegistry(),
    users: new UserDirectory(),
    consents: new ConsentLedger(),
    sessions: new AuthorizationSessions(),
    codes: new AuthorizationCodes(config.codeTtlSeconds),
    tokens: new TokenStore(config),
    accounts,
    orders,
    market,
    desk: new TradingDesk(accounts, orders, market),
    faults: new FaultSwitch(),
    startingCash: config.startingCash,
  };
}

/** Every new account starts with the configured cash and 50 AAPL bought at 190.00, so a portfolio question has an answer. */
const STARTING_POSITION = { symbol: 'AAPL', quantity: 50, averagePrice: 190 };

/** Creates a user together with their margin account. */
export function enrollUser(state: SandboxState, input: { email: string; password: string; mfa?: boolean }): { user: User; account: Account } {
  const user = state.users.create(input);
  const aapl = findInstrument(STARTING_POSITION.symbol);
  const account = state.accounts.open({
    userId: user.id,
    cash: state.startingCash,
    positions: [STARTING_POSITION],
    positionsMarketValue: aapl ? STARTING_POSITION.quantity * state.market.lastPrice(aapl) : 0,
  });
  return { user, account };
}
