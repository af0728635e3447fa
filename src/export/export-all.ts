import type { Case } from '../model/case.js';
import type { Reply } from '../model/reply.js';
import type { UserState } from '../model/user.js';
import { text } from '../engine/replies.js';
import type { Ctx } from '../engine/types.js';
import { userExport } from './user-data.js';

/** `export` alone: everything kept about the user as one JSON file (docs/export-schema.md). */
export function exportAll(user: UserState, cases: readonly Case[], x: Ctx): Reply[] {
  const data = userExport(user, cases, x.now);
  return [
    text(x.say('export.all', { count: data.cases.length })),
    {
      kind: 'file',
      filename: `offboard-data-${x.today}.json`,
      mime: 'application/json',
      title: x.say('export.allTitle'),
      content: `${JSON.stringify(data, null, 2)}\n`,
      attachOnly: true,
    },
  ];
}
