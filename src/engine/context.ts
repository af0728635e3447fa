import { translator } from '../i18n/translate.js';
import { todayIn } from '../time/calendar.js';
import type { Ctx, DecideContext } from './types.js';

export function makeCtx(now: Date, ctx: DecideContext): Ctx {
  const locale = ctx.settings.locale;
  return {
    now,
    today: todayIn(ctx.settings.timeZone, now),
    settings: ctx.settings,
    locale,
    history: ctx.history,
    say: translator(locale),
    out: [],
  };
}
