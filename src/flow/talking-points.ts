import type { Case } from '../model/case.js';
import type { Ctx } from '../engine/types.js';
import { dayOf } from './dates.js';

/** The one reason, in the user's words or the catalog's general wording. */
export function reasonText(c: Case, x: Pick<Ctx, 'say'>): string {
  const r = c.conversation;
  if (r.reason === 'own' && r.reasonText) return r.reasonText;
  if (r.reason === 'needsChanged') return x.say('reason.needsChanged.quote');
  return x.say('reason.notFit.quote');
}

/** Short talking points from what the case knows so far. */
/**
 * Who could take over, as recorded: the person, the agency or the specialist the user chose.
 * Before the handover step asks, a general offer; none once they chose no referral, and none
 * for a disrespectful client (the bot says a referral is not owed there).
 */
function referralPoints(c: Case, x: Ctx): string[] {
  if (c.referrals.length > 0) {
    return c.referrals.map((r) =>
      r.kind === 'agency' ? x.say('points.referAgency') : r.kind === 'specialist' ? x.say('points.referSpecialist', { field: r.detail ?? '…' }) : x.say('points.referName', { name: r.detail ?? '…' }),
    );
  }
  const asked = c.tasks.length > 0;
  return asked || c.reasons.includes('disrespectful') ? [] : [x.say('points.referOffer')];
}

export function talkingPoints(c: Case, x: Ctx): string {
  const points = [
    x.say('points.thanks', { client: c.client }),
    x.say('points.reason', { reason: reasonText(c, x) }),
    x.say('points.unmet'),
    x.say('points.bothBetter'),
  ];
  if (c.notice.lastDay) points.push(x.say('points.lastDay', { date: dayOf(x, c.notice.lastDay) }));
  points.push(x.say('points.handover'), ...referralPoints(c, x));
  points.push(x.say('points.noBlame'));
  points.push(x.say('points.professional'));
  // Goodwill is offered only where it is meant: not to a client who was disrespectful.
  if (!c.reasons.includes('disrespectful')) points.push(x.say('points.goodwill'));
  points.push(x.say('points.close'));
  return `${x.say('points.title')}\n${points.map((p, i) => `${i + 1}. ${p}`).join('\n')}\n\n${x.say('points.rehearse')}`;
}
