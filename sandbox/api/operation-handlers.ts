/**
 * Hand-written handlers by operationId. Operations of the spec that are not
 * listed here answer with a sample of their response schema.
 */
import { accountOrderHandlers } from './account-orders.js';
import { accountHandlers } from './accounts.js';
import { analyticsHandlers } from './analytics.js';
import { calendarHandlers } from './calendars.js';
import { marketDataHandlers, marketDataInvalidRequestAnswers } from './market-data.js';
import type { InvalidRequestAnswers, OperationHandlers } from './operation-handler.js';
import { orderHandlers } from './orders.js';
import { researchHandlers } from './research.js';
import { stockPriceHandlers } from './stock-prices.js';
import { userHandlers } from './users.js';

export const OPERATION_HANDLERS: OperationHandlers = {
  ...userHandlers,
  ...accountHandlers,
  ...accountOrderHandlers,
  ...orderHandlers,
  ...marketDataHandlers,
  ...stockPriceHandlers,
  ...calendarHandlers,
  ...analyticsHandlers,
  ...researchHandlers,
};

export const INVALID_REQUEST_ANSWERS: InvalidRequestAnswers = { ...marketDataInvalidRequestAnswers };
