/**
 * Brokerage accounts: one simulated margin account per user, numbered
 * `TEST-ACCOUNT-001`, `TEST-ACCOUNT-002`, ... in the order users are created.
 * An account holds cash, positions (signed quantity, average price) and the
 * day's activity totals; fills are applied by `applyFill`.
 */

export interface Position {
  readonly symbol: string;
  /** Signed: negative for a short position. */
  quantity: number;
  averagePrice: number;
  realizedToday: number;
  readonly openedAt: Date;
}

export interface Account {
  /** The trading account id used in paths and order bodies (`sterling_account_id`). */
  readonly id: string;
  /** The numeric id of `/v1/users/me/accounts`. */
  readonly numericId: number;
  readonly userId: number;
  readonly createdAt: Date;
  readonly startOfDayCash: number;
  readonly sodPositionsMarketValue: number;
  cash: number;
  realizedPl: number;
  valueBought: number;
  valueSold: number;
  /** Sale proceeds not yet settled (T+1): today's sells. */
  unsettledFunds: number;
  readonly positions: Map<string, Position>;
}

export interface AccountOpening {
  readonly userId: number;
  readonly cash: number;
  readonly positions: ReadonlyArray<{ symbol: string; quantity: number; averagePrice: number }>;
  /** Market value of the opening positions, as of the start of the day. */
  readonly positionsMarketValue: number;
}

export class AccountBook {
  private readonly accounts = new Map<string, Account>();

  open(opening: AccountOpening): Account {
    const numericId = this.accounts.size + 1;
    const now = new Date();
    const account: Account = {
      id: `TEST-ACCOUNT-${String(numericId).padStart(3, '0')}`,
      numericId,
      userId: opening.userId,
      createdAt: now,
      startOfDayCash: opening.cash,
      sodPositionsMarketValue: opening.positionsMarketValue,
      cash: opening.cash,
      realizedPl: 0,
      valueBought: 0,
      valueSold: 0,
      unsettledFunds: 0,
      positions: new Map(
        opening.positions.map((p) => [p.symbol, { symbol: p.symbol, quantity: p.quantity, averagePrice: p.averagePrice, realizedToday: 0, openedAt: now }]),
      ),
    };
    this.accounts.set(account.id, account);
    return account;
  }

  /** The account when it belongs to `userId`; another user's account is indistinguishable from a missing one. */
  findOwned(userId: number, accountId: unknown): Account | undefined {
    const account = typeof accountId === 'string' ? this.accounts.get(accountId) : undefined;
    return account && account.userId === userId ? account : undefined;
  }

  find(accountId: string): Account | undefined {
    return this.accounts.get(accountId);
  }

  listForUser(userId: number): Account[] {
    return [...this.accounts.values()].filter((account) => account.userId === userId);
  }
}
