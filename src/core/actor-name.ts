import type { Person } from './types.js';

/**
 * The name minyi writes beside what a person did (events, reports, a record's filer): the office's registered
 * name when the sender is registered, else what the platform calls them. Why registered first: a member's
 * DingTalk nickname or an API script's label changes from message to message, while 委员履职, 人员 and the
 * liaison groups know the person by the name the office gave them.
 */
export function actorName(person: Pick<Person, 'name'> | null, platformName: string | undefined): string | null {
  return person?.name ?? platformName ?? null;
}
