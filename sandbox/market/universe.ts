/**
 * The fixed set of instruments the simulated market trades: real tickers with
 * their names, listing exchanges and rough fundamentals, around which prices
 * and research data are generated. Base prices are round numbers near recent
 * levels; they are anchors for a simulation, not market data.
 */

export interface Instrument {
  readonly symbol: string;
  readonly name: string;
  readonly type: 'stock' | 'etf';
  /** ISO 10383 MIC of the listing exchange. */
  readonly mic: 'XNAS' | 'XNYS' | 'ARCX';
  readonly basePrice: number;
  readonly sector: string;
  readonly cik: string;
  /** Trailing-twelve-month earnings per share (0 for ETFs). */
  readonly eps: number;
  readonly sharesOutstanding: number;
  readonly dividendYield: number;
  readonly averageVolume: number;
}

const B = 1_000_000_000;
const M = 1_000_000;

export const UNIVERSE: readonly Instrument[] = [
  {
    symbol: 'AAPL',
    name: 'Apple Inc.',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 230,
    sector: 'Technology',
    cik: '0000320193',
    eps: 6.59,
    sharesOutstanding: 15.1 * B,
    dividendYield: 0.0045,
    averageVolume: 55 * M,
  },
  {
    symbol: 'MSFT',
    name: 'Microsoft Corporation',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 420,
    sector: 'Technology',
    cik: '0000789019',
    eps: 13.64,
    sharesOutstanding: 7.43 * B,
    dividendYield: 0.0078,
    averageVolume: 21 * M,
  },
  {
    symbol: 'NVDA',
    name: 'NVIDIA Corporation',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 180,
    sector: 'Technology',
    cik: '0001045810',
    eps: 3.51,
    sharesOutstanding: 24.3 * B,
    dividendYield: 0.0002,
    averageVolume: 190 * M,
  },
  {
    symbol: 'AMZN',
    name: 'Amazon.com, Inc.',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 225,
    sector: 'Consumer Cyclical',
    cik: '0001018724',
    eps: 6.13,
    sharesOutstanding: 10.7 * B,
    dividendYield: 0,
    averageVolume: 42 * M,
  },
  {
    symbol: 'GOOGL',
    name: 'Alphabet Inc. Class A',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 250,
    sector: 'Communication Services',
    cik: '0001652044',
    eps: 9.39,
    sharesOutstanding: 12.1 * B,
    dividendYield: 0.0034,
    averageVolume: 33 * M,
  },
  {
    symbol: 'META',
    name: 'Meta Platforms, Inc.',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 700,
    sector: 'Communication Services',
    cik: '0001326801',
    eps: 27.53,
    sharesOutstanding: 2.51 * B,
    dividendYield: 0.003,
    averageVolume: 12 * M,
  },
  {
    symbol: 'TSLA',
    name: 'Tesla, Inc.',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 400,
    sector: 'Consumer Cyclical',
    cik: '0001318605',
    eps: 1.75,
    sharesOutstanding: 3.22 * B,
    dividendYield: 0,
    averageVolume: 95 * M,
  },
  {
    symbol: 'JPM',
    name: 'JPMorgan Chase & Co.',
    type: 'stock',
    mic: 'XNYS',
    basePrice: 300,
    sector: 'Financial Services',
    cik: '0000019617',
    eps: 20.02,
    sharesOutstanding: 2.75 * B,
    dividendYield: 0.019,
    averageVolume: 9 * M,
  },
  {
    symbol: 'BAC',
    name: 'Bank of America Corporation',
    type: 'stock',
    mic: 'XNYS',
    basePrice: 50,
    sector: 'Financial Services',
    cik: '0000070858',
    eps: 3.58,
    sharesOutstanding: 7.6 * B,
    dividendYield: 0.021,
    averageVolume: 38 * M,
  },
  {
    symbol: 'AMD',
    name: 'Advanced Micro Devices, Inc.',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 240,
    sector: 'Technology',
    cik: '0000002488',
    eps: 1.91,
    sharesOutstanding: 1.62 * B,
    dividendYield: 0,
    averageVolume: 60 * M,
  },
  {
    symbol: 'INTC',
    name: 'Intel Corporation',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 37,
    sector: 'Technology',
    cik: '0000050863',
    eps: -4.38,
    sharesOutstanding: 4.37 * B,
    dividendYield: 0,
    averageVolume: 110 * M,
  },
  {
    symbol: 'NFLX',
    name: 'Netflix, Inc.',
    type: 'stock',
    mic: 'XNAS',
    basePrice: 110,
    sector: 'Communication Services',
    cik: '0001065280',
    eps: 2.47,
    sharesOutstanding: 4.25 * B,
    dividendYield: 0,
    averageVolume: 40 * M,
  },
  {
    symbol: 'DIS',
    name: 'The Walt Disney Company',
    type: 'stock',
    mic: 'XNYS',
    basePrice: 110,
    sector: 'Communication Services',
    cik: '0001744489',
    eps: 5.93,
    sharesOutstanding: 1.8 * B,
    dividendYield: 0.009,
    averageVolume: 9 * M,
  },
  {
    symbol: 'KO',
    name: 'The Coca-Cola Company',
    type: 'stock',
    mic: 'XNYS',
    basePrice: 70,
    sector: 'Consumer Defensive',
    cik: '0000021344',
    eps: 2.46,
    sharesOutstanding: 4.3 * B,
    dividendYield: 0.029,
    averageVolume: 14 * M,
  },
  {
    symbol: 'V',
    name: 'Visa Inc.',
    type: 'stock',
    mic: 'XNYS',
    basePrice: 340,
    sector: 'Financial Services',
    cik: '0001403161',
    eps: 10.2,
    sharesOutstanding: 1.94 * B,
    dividendYield: 0.007,
    averageVolume: 6 * M,
  },
  {
    symbol: 'SPY',
    name: 'SPDR S&P 500 ETF Trust',
    type: 'etf',
    mic: 'ARCX',
    basePrice: 660,
    sector: 'ETF',
    cik: '0000884394',
    eps: 0,
    sharesOutstanding: 1.0 * B,
    dividendYield: 0.011,
    averageVolume: 70 * M,
  },
  {
    symbol: 'QQQ',
    name: 'Invesco QQQ Trust, Series 1',
    type: 'etf',
    mic: 'XNAS',
    basePrice: 590,
    sector: 'ETF',
    cik: '0001067839',
    eps: 0,
    sharesOutstanding: 0.62 * B,
    dividendYield: 0.005,
    averageVolume: 45 * M,
  },
  {
    symbol: 'IWM',
    name: 'iShares Russell 2000 ETF',
    type: 'etf',
    mic: 'ARCX',
    basePrice: 240,
    sector: 'ETF',
    cik: '0001100663',
    eps: 0,
    sharesOutstanding: 0.3 * B,
    dividendYield: 0.011,
    averageVolume: 30 * M,
  },
  {
    symbol: 'DIA',
    name: 'SPDR Dow Jones Industrial Average ETF Trust',
    type: 'etf',
    mic: 'ARCX',
    basePrice: 470,
    sector: 'ETF',
    cik: '0001041130',
    eps: 0,
    sharesOutstanding: 0.07 * B,
    dividendYield: 0.015,
    averageVolume: 4 * M,
  },
];

const BY_SYMBOL = new Map(UNIVERSE.map((instrument) => [instrument.symbol, instrument]));

/** The instrument for a ticker (case-insensitive), or undefined for symbols the sandbox does not trade. */
export function findInstrument(symbol: unknown): Instrument | undefined {
  return typeof symbol === 'string' ? BY_SYMBOL.get(symbol.trim().toUpperCase()) : undefined;
}

/** Exchange names as market-data vendors spell them. */
export function exchangeName(mic: Instrument['mic']): string {
  return { XNAS: 'NASDAQ', XNYS: 'NYSE', ARCX: 'NYSE Arca' }[mic];
}
