import type { Store } from '../src/store/store.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { occurrenceId, type ReminderJobData } from './reminder-job.js';

/**
 * True when a job's reminder was already decided (the engine took it out of the plan and
 * saved its message) but is not sent yet: the job is then the only thing that will send it,
 * so neither the scheduler nor the reconciler may remove it, whatever the plan now says.
 */
export function decidedButUnsent(store: Store, ledger: DeliveryLedger): (d: ReminderJobData) => Promise<boolean> {
  return async (d) => {
    const occurrence = occurrenceId(d.caseId, d.reminderId, d.at);
    // A message of one reminder is recorded with the turn that decided it (no outbox then);
    // a collected one is decided in the outbox first and recorded after.
    const id = await ledger.messageOf(d.user, occurrence);
    if (!id) return (await store.loadOutbox(d.user, occurrence)) !== null;
    const rec = await ledger.load(d.user, id);
    return rec !== null && (rec.state === 'ready' || rec.state === 'sending');
  };
}
