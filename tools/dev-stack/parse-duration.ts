const DURATION = /^(\d+)(s|m|h|d)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** `90`, `90s`, `30m`, `1h`, `1d` → seconds; throws a TypeError naming the option otherwise. */
export function parseDuration(value: string, option: string): number {
  const match = DURATION.exec(value.trim());
  if (match === null) throw new TypeError(`${option} must be a duration like 30m, 1h or 3600s`);
  const unit = (match[2] ?? 's') as keyof typeof UNIT_SECONDS;
  return Number(match[1]) * UNIT_SECONDS[unit];
}
