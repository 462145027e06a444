import type { Person, RecordSource, RecordView } from './types.js';

/**
 * Who may see and change what. Members see what they reported (filed, or joined as "+1"); staff see their
 * town's records (district staff, town null, see all); only staff and admins change records; only admins
 * manage people.
 */
export type Scope = { kind: 'none' } | { kind: 'town'; townCode: string } | { kind: 'district' };

export function isStaff(p: Person | null): p is Person {
  return p !== null && (p.role === 'staff' || p.role === 'admin');
}

/** The records a person works on: an admin or district staff all, town staff their town's, members none. */
export function workScope(p: Person | null): Scope {
  if (!isStaff(p)) return { kind: 'none' };
  if (p.role === 'admin' || p.townCode === null) return { kind: 'district' };
  return { kind: 'town', townCode: p.townCode };
}

function inScope(scope: Scope, r: RecordView): boolean {
  if (scope.kind === 'district') return true;
  return scope.kind === 'town' && r.townCode === scope.townCode;
}

/** Whether `actorId` reported `r`: filed it, or sent one of its sources (a report joined as "+1"). */
export function reported(actorId: string, r: RecordView, sources: readonly Pick<RecordSource, 'senderId'>[]): boolean {
  return r.filedBy === actorId || sources.some((s) => s.senderId === actorId);
}

export function maySee(actorId: string, p: Person | null, r: RecordView, sources: readonly Pick<RecordSource, 'senderId'>[]): boolean {
  return reported(actorId, r, sources) || inScope(workScope(p), r);
}

export function mayChange(p: Person | null, r: RecordView): boolean {
  return inScope(workScope(p), r);
}

/** The member who forwarded the record answers the 回访; staff may also record one taken by phone. */
export function mayVisit(actorId: string, p: Person | null, r: RecordView): boolean {
  return r.filedBy === actorId || mayChange(p, r);
}

export function mayManagePeople(p: Person | null): boolean {
  return p?.role === 'admin';
}

/** Town-wide outputs (周报, 待办) for a town: its own staff, district staff and admins. */
export function mayReadTown(p: Person | null, townCode: string | null): boolean {
  const scope = workScope(p);
  if (scope.kind === 'district') return true;
  return scope.kind === 'town' && townCode === scope.townCode;
}

/** A town's 微协商 (schedule, minutes, action items, close): its own staff, district staff and admins. */
export function mayRunConsultation(p: Person | null, townCode: string): boolean {
  return workScope(p).kind !== 'none' && mayReadTown(p, townCode);
}
