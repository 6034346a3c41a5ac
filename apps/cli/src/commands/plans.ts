import {
  type CarrierId,
  carrierIds,
  carrierProfiles,
  formatDecimalBytes,
  formatMoney,
  isCarrierId,
  type Plan,
} from '@esimlab/domain';
import type { CliCommand } from '../cli-command.ts';
import { CliUsageError } from '../cli-error.ts';
import { parseCommandFlags } from '../internal/command-flags.ts';

const usage = `esimlab plans [--carrier att|tmobile|verizon] [--json]

Lists the plans and add-ons each mock carrier sells, from the domain catalogs.

  --carrier <id>  one carrier's catalog: att, tmobile or verizon; default all three
  --json          print {<carrier>: Plan[]} with prices in cents and data in bytes
  --help          this text`;

/** `esimlab plans`: the carrier catalogs as a table, or as JSON with --json. */
export const plansCommand: CliCommand = {
  name: 'plans',
  summary: "list each carrier's plans and add-ons",
  usage,
  run(args, io) {
    const values = parseCommandFlags(args, {
      carrier: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const carriers = selectCarriers(values.carrier);
    if (values.json) {
      io.out(
        JSON.stringify(
          Object.fromEntries(carriers.map((c) => [c, carrierProfiles[c].plans])),
          null,
          2,
        ),
      );
      return 0;
    }
    io.out(carriers.map(renderCarrier).join('\n\n'));
    return 0;
  },
};

function selectCarriers(carrier: string | undefined): readonly CarrierId[] {
  if (carrier === undefined) return carrierIds;
  if (!isCarrierId(carrier)) {
    throw new CliUsageError(`--carrier must be one of ${carrierIds.join(', ')}; got "${carrier}"`);
  }
  return [carrier];
}

function renderCarrier(carrier: CarrierId): string {
  const profile = carrierProfiles[carrier];
  const header = `${profile.displayName} (${carrier}) · ${profile.timeZone} · API style ${profile.defaultApiStyle}`;
  const rows = profile.plans.map((plan) => [
    plan.id,
    plan.kind === 'base' ? 'base' : `add-on ${plan.addonKind}`,
    formatDecimalBytes(plan.dataBytes),
    `${plan.validityDays} d`,
    formatMoney(plan.price),
    renewal(plan),
  ]);
  return [header, ...table([['plan', 'kind', 'data', 'validity', 'price', 'terms'], ...rows])].join(
    '\n',
  );
}

function renewal(plan: Plan): string {
  if (plan.kind === 'addon') return 'one-off';
  const term = plan.minTermDays > 0 ? `, ${plan.minTermDays} d minimum term` : '';
  const fee = plan.earlyTerminationFee ? ` (ETF ${formatMoney(plan.earlyTerminationFee)})` : '';
  return `${plan.autoRenewable ? 'auto-renews' : 'prepaid'}${term}${fee}`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    `  ${r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd(),
  );
}
