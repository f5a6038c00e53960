import { CaseEvent } from './case-event.entity';
import { CaseGrant } from './case-grant.entity';
import { CaseNote } from './case-note.entity';

export { CaseEvent, CaseGrant, CaseNote };
export const caseworkEntities = [CaseNote, CaseGrant, CaseEvent];
