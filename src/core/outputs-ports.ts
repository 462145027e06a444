/**
 * The store port for what the bot drafts and schedules (consultations, action items, write-ups, scheduled
 * runs, pairings) and the read models behind bulletins, the ledger export and member figures.
 */
import type { Agenda, ConsultationType } from './agenda.js';
import type { BulletinFigures } from './bulletin.js';
import type { ClusterRecord } from './cluster.js';
import type { Effects, NewEvent, NewJob, RecordFilter, ReplyRow } from './ports.js';
import type { Platform, RecordEvent } from './types.js';

export type ConsultationStatus = 'proposed' | 'scheduled' | 'held' | 'closed' | 'declined';
export const CONSULTATION_STATUS_LABELS: Record<ConsultationStatus, string> = {
  proposed: '已提议', scheduled: '已安排', held: '已召开', closed: '已结束', declined: '不予召开',
};

export interface Consultation {
  id: string;
  code: string;
  townCode: string;
  type: ConsultationType;
  party: string | null;
  topic: string;
  status: ConsultationStatus;
  clusterKey: string | null;
  proposedBy: string;
  scheduledAt: number | null;
  heldAt: number | null;
  closedAt: number | null;
  agenda: Agenda;
  minutes: string | null;
  recordIds: string[];
  attendees: string[];
  createdAt: number;
  updatedAt: number;
}

export interface NewConsultation {
  id: string;
  code: string;
  counter: { name: string; value: number };
  townCode: string;
  type: ConsultationType;
  party: string | null;
  topic: string;
  clusterKey: string | null;
  proposedBy: string;
  agenda: Agenda;
  recordIds: string[];
}

export interface ConsultationPatch {
  status?: ConsultationStatus;
  scheduledAt?: number | null;
  heldAt?: number | null;
  closedAt?: number | null;
  minutes?: string | null;
  attendees?: string[];
}

export type ActionItemStatus = 'open' | 'done' | 'dropped';

export interface ActionItem {
  id: string;
  consultationId: string;
  seq: number;
  text: string;
  owner: string;
  dueAt: number | null;
  status: ActionItemStatus;
  doneAt: number | null;
  createdAt: number;
}

export type WriteupStatus = 'drafted' | 'submitted' | 'adopted';

export interface WriteupRow {
  id: string;
  code: string;
  townCode: string | null;
  recordIds: string[];
  consultationId: string | null;
  title: string;
  body: string;
  status: WriteupStatus;
  instructions: string | null;
  createdBy: string;
  submittedAt: number | null;
  adoptedAt: number | null;
  createdAt: number;
}

/** One change to a consultation, action item or write-up: the same shape as a record's event. */
export type OutputEvent = Omit<RecordEvent, 'recordId'> & { entityId: string };

export interface NewWriteup {
  id: string;
  code: string;
  counter: { name: string; value: number };
  townCode: string | null;
  recordIds: string[];
  consultationId: string | null;
  title: string;
  body: string;
  createdBy: string;
}

/** One row of the 台账: masked text unless `raw` was asked for (admins only). */
export interface LedgerRow {
  id: string;
  code: string;
  status: string;
  categoryCode: string;
  categoryName: string;
  appealType: string;
  townCode: string | null;
  place: string | null;
  summary: string;
  text: string;
  affectedCount: number;
  department: string | null;
  dueAt: number | null;
  createdAt: number;
  closedAt: number | null;
  filedBy: string;
  filedByName: string | null;
  sourcePlatform: Platform;
}

export interface MemberFigure {
  personId: string | null;
  name: string;
  townCode: string | null;
  forwarded: number;
  consultationsAttended: number;
  writeupsAdopted: number;
}

export interface OutputsRepo {
  clusterCandidates(townCode: string, since: number): Promise<ClusterRecord[]>;
  nextSequence(counter: string): Promise<number>;

  /** False when this town's cluster was already proposed (the unique cluster key). */
  proposeConsultation(c: NewConsultation, event: NewEvent, effects: Effects, now: number): Promise<boolean>;
  getConsultation(idOrCode: string): Promise<Consultation | null>;
  listConsultations(f: { townCode?: string; statuses?: ConsultationStatus[] }): Promise<Consultation[]>;
  updateConsultation(id: string, patch: ConsultationPatch, event: NewEvent, effects: Effects, now: number): Promise<Consultation>;
  addActionItems(consultationId: string, items: Omit<ActionItem, 'consultationId' | 'createdAt' | 'doneAt' | 'status'>[], event: NewEvent, now: number): Promise<void>;
  listActionItems(f: { consultationId?: string; openDueBefore?: number }): Promise<ActionItem[]>;
  setActionItemStatus(id: string, status: ActionItemStatus, event: NewEvent, now: number): Promise<void>;

  insertWriteup(w: NewWriteup, event: NewEvent, now: number): Promise<WriteupRow>;
  getWriteup(idOrCode: string): Promise<WriteupRow | null>;
  setWriteupStatus(id: string, status: WriteupStatus, instructions: string | null, event: NewEvent, now: number): Promise<WriteupRow>;
  /** Write-ups drawn from a record (newest first). */
  listWriteups(f: { recordId: string }): Promise<WriteupRow[]>;
  /** The trace of one consultation, action item or write-up, oldest first. */
  outputEvents(entityId: string): Promise<OutputEvent[]>;

  /** Claims (task, period) and enqueues its job in one write; false when it was claimed before. */
  claimRun(task: string, periodKey: string, dueAt: number, job: NewJob, now: number): Promise<boolean>;
  /** When the scheduler first ran on this database (recorded on the first call). */
  firstStart(now: number): Promise<number>;

  upsertPairing(townCode: string, party: string, expertise: string | null, now: number): Promise<void>;
  getPairing(townCode: string): Promise<{ party: string; expertise: string | null } | null>;
  memberNames(townCode: string): Promise<string[]>;

  bulletinData(townCode: string | null, scopeName: string, weekStart: number, weekEnd: number, asOf: number): Promise<BulletinFigures>;
  /** Records' masked texts by code (the bulletin's typical cases); unknown codes are left out. */
  maskedTexts(codes: string[]): Promise<Map<string, string>>;
  ledger(filter: Omit<RecordFilter, 'limit' | 'cursor'>, raw: boolean, limit: number): Promise<LedgerRow[]>;
  memberFigures(): Promise<MemberFigure[]>;
  repliesToChat(chatId: string): Promise<ReplyRow[]>;
}
