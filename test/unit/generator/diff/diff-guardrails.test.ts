/**
 * The surface diff reports every change to a tool's trading guardrails as a
 * risky change in its own category (`guardrails.*`), with a line that says
 * what it means, and lists them together in the Markdown review and in the
 * short note `npm run generate` prints. The last case goes through
 * spec/tools.yaml itself: a changed `priceBy` in the YAML is reported.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { OrderGuardrails, ToolDefinition } from '../../../../runtime/contract/tool-definition.js';
import { generate } from '../../../../generator/pipeline.js';
import { compareSurfaces, needsReview } from '../../../../generator/diff/compare-surfaces.js';
import { describeChange } from '../../../../generator/diff/describe-change.js';
import { diffTools } from '../../../../generator/diff/diff-tools.js';
import { loadSurface } from '../../../../generator/diff/load-surface.js';
import { renderSurfaceReport } from '../../../../generator/diff/render-markdown.js';
import { summarizeSurfaceChange } from '../../../../generator/diff/summarize-surface-change.js';
import { orderTool, surfaceJson, surfaceOf } from './surface-kit.js';

const GUARDRAILS: OrderGuardrails = {
  mode: 'enforce',
  arguments: { quantity: 'qty', orderType: 'type', side: 'side', symbol: 'symbol', optionLegs: 'legs' },
  priceBy: { LIMIT: 'price', STOP: 'stopPrice', MARKET: 'quote' },
  buySides: ['BUY', 'BUY_TO_COVER'],
  defaultOrderTypes: ['LIMIT'],
  defaultSides: ['BUY', 'SELL'],
  optionSymbolPattern: '^[A-Z]{1,6} *[0-9]{6}[CP][0-9]{8}$',
  optionMultiplier: 100,
  quote: { tool: 'get_quote', symbolArgument: 'symbol', ask: 'results.askPrice', bid: 'results.bidPrice' },
};
const guarded = (patch: Partial<OrderGuardrails> = {}): ToolDefinition => orderTool({ guardrails: { ...GUARDRAILS, ...patch } });
const unguarded = orderTool();

/** The changes as `<class> <id>: <line>`. */
function lines(before: ToolDefinition[], after: ToolDefinition[]): string[] {
  const report = compareSurfaces(surfaceOf(...before), surfaceOf(...after));
  return report.tools.flatMap((tool) => tool.changes.map((change) => `${change.class} ${change.id}: ${describeChange(change)}`));
}

describe('guardrail changes in the surface diff', () => {
  it.each<[string, { before: ToolDefinition[]; after: ToolDefinition[]; want: string[] }]>([
    ['unchanged guardrails: nothing to report', { before: [guarded()], after: [guarded()], want: [] }],
    [
      'a tool loses its guardrails',
      {
        before: [guarded()],
        after: [unguarded],
        want: [
          "risky guardrails.removed: no longer checked by the trading guardrails: its orders reach Aries without the customer's limits (was `enforce`: orders outside the customer's limits are refused before Aries and counted in the daily total)",
        ],
      },
    ],
    [
      'a tool gains guardrails',
      {
        before: [unguarded],
        after: [guarded({ mode: 'preview' })],
        want: ["risky guardrails.added: now checked by the trading guardrails, `preview`: the guardrails' verdict is only shown, nothing is refused"],
      },
    ],
    [
      'a new order tool declared with guardrails',
      {
        before: [],
        after: [guarded()],
        want: [
          'risky tool.added: new write-capable, destructive tool: `POST /v1/orders`, scope `order:execution`',
          "risky guardrails.added: now checked by the trading guardrails, `enforce`: orders outside the customer's limits are refused before Aries and counted in the daily total",
        ],
      },
    ],
    [
      'enforce -> preview',
      {
        before: [guarded()],
        after: [guarded({ mode: 'preview' })],
        want: ["risky guardrails.mode-changed:mode: trading guardrails mode `enforce` → `preview`: the guardrails' verdict is only shown, nothing is refused"],
      },
    ],
    [
      'a market order valued at a price argument instead of the quote',
      {
        before: [guarded()],
        after: [guarded({ priceBy: { ...GUARDRAILS.priceBy, MARKET: 'price' } })],
        want: [
          "risky guardrails.valuation-changed:priceBy.MARKET: how an order's value is computed: a `MARKET` order is valued at argument `price` (was the current ask (buy) or bid (sell) from the quote)",
        ],
      },
    ],
    [
      'an order type no longer valued',
      {
        before: [guarded()],
        after: [guarded({ priceBy: { LIMIT: 'price', MARKET: 'quote' } })],
        want: [
          "risky guardrails.valuation-changed:priceBy.STOP: how an order's value is computed: a `STOP` order is valued at nothing (the order cannot be valued, so it is refused) (was argument `stopPrice`)",
        ],
      },
    ],
    [
      'the option multiplier',
      {
        before: [guarded()],
        after: [guarded({ optionMultiplier: 10 })],
        want: ["risky guardrails.valuation-changed:optionMultiplier: how an order's value is computed: `optionMultiplier` `100` → `10`"],
      },
    ],
    [
      'where the quote has the ask',
      {
        before: [guarded()],
        after: [guarded({ quote: { ...GUARDRAILS.quote, ask: 'results.lastPrice' } })],
        want: ["risky guardrails.valuation-changed:quote.ask: how an order's value is computed: `quote.ask` `results.askPrice` → `results.lastPrice`"],
      },
    ],
    [
      'which sides buy',
      {
        before: [guarded()],
        after: [guarded({ buySides: ['BUY'] })],
        want: ['risky guardrails.valuation-changed:buySides: how an order\'s value is computed: `buySides` `["BUY","BUY_TO_COVER"]` → `["BUY"]`'],
      },
    ],
    [
      'which argument holds the quantity, and the option legs no longer read',
      {
        before: [guarded()],
        after: [guarded({ arguments: { quantity: 'amount', orderType: 'type', side: 'side', symbol: 'symbol' } })],
        want: [
          "risky guardrails.argument-changed:arguments.optionLegs: the trading guardrails read the order's option legs from no argument (was argument `legs`)",
          "risky guardrails.argument-changed:arguments.quantity: the trading guardrails read the order's quantity from argument `amount` (was argument `qty`)",
        ],
      },
    ],
    [
      'the defaults the connection page ticks',
      {
        before: [guarded()],
        after: [guarded({ defaultSides: ['BUY', 'SELL', 'SELL_SHORT'] })],
        want: [
          'risky guardrails.defaults-changed:defaultSides: the connection page ticks these sides by default: `["BUY","SELL"]` → `["BUY","SELL","SELL_SHORT"]`',
        ],
      },
    ],
  ])('%s', (_name, { before, after, want }) => {
    expect(lines(before, after)).toEqual(want);
  });

  it('needs review, and an acknowledgement by id covers exactly that change', () => {
    const after = [guarded({ mode: 'preview', priceBy: { ...GUARDRAILS.priceBy, MARKET: 'price' } })];
    const report = compareSurfaces(surfaceOf(guarded()), surfaceOf(...after), [
      { tool: 'place_order', change: 'guardrails.valuation-changed:priceBy.MARKET', reason: 'The sandbox has no quote.' },
    ]);
    expect(report.counts).toMatchObject({ risky: 1, acknowledged: 1 });
    expect(needsReview(report)).toBe(true);
  });

  it('the Markdown review lists the guardrail changes together, before the per-tool tables', () => {
    const before = [
      guarded(),
      { ...guarded(), name: 'replace_order', operation: { operationId: 'replaceOrder', method: 'put' as const, path: '/v1/orders/{id}' } },
    ];
    const after = [
      guarded({ optionMultiplier: 10 }),
      { ...unguarded, name: 'replace_order', operation: { operationId: 'replaceOrder', method: 'put' as const, path: '/v1/orders/{id}' } },
    ];
    const markdown = renderSurfaceReport(compareSurfaces(surfaceOf(...before), surfaceOf(...after)), { beforeLabel: 'main', afterLabel: 'HEAD' });
    const section = markdown.indexOf('### Trading guardrails changed');
    expect(section).toBeGreaterThan(markdown.indexOf('[!WARNING]'));
    expect(section).toBeLessThan(markdown.indexOf('| Tool | Status |'));
    expect(markdown).toContain(
      "- 🟠 risky `place_order` `guardrails.valuation-changed:optionMultiplier`: how an order's value is computed: `optionMultiplier` `100` → `10`\n",
    );
    expect(markdown).toContain(
      "- 🟠 risky `replace_order` `guardrails.removed`: no longer checked by the trading guardrails: its orders reach Aries without the customer's limits",
    );
    expect(markdown).toContain('| 🟠 risky | `guardrails.removed` |');
  });

  it('no section when no guardrail changed', () => {
    const markdown = renderSurfaceReport(compareSurfaces(surfaceOf(guarded()), surfaceOf({ ...guarded(), title: 'Place' })), {
      beforeLabel: 'main',
      afterLabel: 'HEAD',
    });
    expect(markdown).not.toContain('Trading guardrails');
  });

  it('the note npm run generate prints names the guardrail change', () => {
    expect(summarizeSurfaceChange(surfaceJson(guarded()), surfaceJson(unguarded))).toContain(
      "- 🟠 risky `place_order`: no longer checked by the trading guardrails: its orders reach Aries without the customer's limits",
    );
  });

  it('a tool-surface.json whose guardrails are not an object is refused, naming the field', () => {
    const json = surfaceJson(guarded()).replace('"guardrails": {', '"guardrails": "none", "was": {');
    expect(loadSurface(json, 'tool-surface.json').issues.map((issue) => `${issue.pointer} ${issue.message}`)).toEqual([
      '#/tools/0/guardrails guardrails must be an object when present.',
    ]);
  });

  it('from spec/tools.yaml: valuing market orders at the limit price instead of the quote is reported for every order tool', async () => {
    const [specText, configText] = await Promise.all([readFile('spec/aries.openapi.yaml', 'utf8'), readFile('spec/tools.yaml', 'utf8')]);
    const changed = configText.replace('MARKET: quote }', 'MARKET: price }');
    expect(changed).not.toBe(configText);
    const surfaceFrom = async (config: string) => {
      const result = await generate({
        specFile: 'spec/aries.openapi.yaml',
        specText,
        configFile: 'spec/tools.yaml',
        configText: config,
        runtimeImport: '../runtime',
        skipApiTypes: true,
      });
      const loaded = loadSurface(result.files.get('tool-surface.json') ?? '', 'tool-surface.json');
      if (loaded.value === undefined) throw new Error(loaded.issues.map((issue) => issue.message).join('; '));
      return loaded.value;
    };
    const report = compareSurfaces(await surfaceFrom(configText), await surfaceFrom(changed));
    expect(report.tools.flatMap((tool) => tool.changes.map((change) => `${change.tool} ${change.id} ${change.class}`))).toEqual([
      'place_order guardrails.valuation-changed:priceBy.MARKET risky',
      'preview_order guardrails.valuation-changed:priceBy.MARKET risky',
      'replace_order guardrails.valuation-changed:priceBy.MARKET risky',
    ]);
  });
});

describe('diffTools', () => {
  it('a tool whose guardrails changed is a changed tool', () => {
    expect(diffTools([guarded()], [guarded({ optionMultiplier: 10 })]).map(({ name, status }) => ({ name, status }))).toEqual([
      { name: 'place_order', status: 'changed' },
    ]);
  });
});
