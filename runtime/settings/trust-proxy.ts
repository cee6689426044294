/**
 * TRUST_PROXY: every form Express' `trust proxy` setting takes
 * (https://expressjs.com/en/guide/behind-proxies.html). Address lists are
 * checked by Express itself (proxy-addr), so what start-up accepts is exactly
 * what Express will; unset is `false`.
 */
import express from 'express';
import { ConfigError } from './config-error.js';

export type TrustProxy = boolean | number | readonly string[];

const TRUST_PROXY_FORMS =
  'true, false, a hop count such as 1, or a comma-separated list of proxy addresses and subnets such as 10.0.0.1,192.168.0.0/16 (or the names loopback, linklocal, uniquelocal)';

export function readTrustProxy(name: string, raw: string | undefined): TrustProxy {
  if (raw === undefined) return false;
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  // Not `commaList`: an empty entry is refused, not skipped, as Express would misread the list.
  const list = raw.split(',').map((entry) => entry.trim());
  try {
    if (list.some((entry) => entry === '')) throw new TypeError('empty entry');
    express().set('trust proxy', list);
  } catch (error) {
    throw new ConfigError(`${name} must be ${TRUST_PROXY_FORMS}; got ${JSON.stringify(raw)} (${error instanceof Error ? error.message : 'not accepted'})`);
  }
  return list;
}
