import { describe, expect, it } from 'vitest';
import { isServiceOutage } from '../errors.js';
import { addressOf, OutageLog, type OutageEvent } from './outage-log.js';

describe('isServiceOutage', () => {
  it('recognises a server going away or not there yet, wrapped or not, and nothing else', () => {
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(isServiceOutage(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isServiceOutage(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isServiceOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isServiceOutage(new Error('database migration 0001 failed', { cause: pgError('ECONNREFUSED', 'connect ECONNREFUSED') }))).toBe(true);
    expect(isServiceOutage(new AggregateError([pgError('ECONNREFUSED', 'x'), pgError('ECONNREFUSED', 'y')]))).toBe(true);
    expect(isServiceOutage(Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
    // The statement's own fault: retrying cannot help.
    expect(isServiceOutage(pgError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isServiceOutage(pgError('42P01', 'relation "jobs" does not exist'))).toBe(false);
    expect(isServiceOutage(new Error('no daily bars'))).toBe(false);
    expect(isServiceOutage(undefined)).toBe(false);
  });
});

describe('OutageLog', () => {
  it('reports one line when a service is lost and one when it is back, however many calls fail meanwhile', () => {
    const events: OutageEvent[] = [];
    const lines: string[] = [];
    const log = new OutageLog((event, line) => (events.push(event), lines.push(line)));
    const backs: string[] = [];
    log.onBack((service) => backs.push(service));
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

    const before = performance.now() - 1;
    log.failed('PostgreSQL', '127.0.0.1:5432', refused);
    log.failed('PostgreSQL', '127.0.0.1:5432', refused);
    log.reached('PostgreSQL', before); // a call begun before the outage says nothing about now
    expect(log.isDown('PostgreSQL')).toBe(true);
    log.reached('PostgreSQL');
    log.reached('PostgreSQL');
    log.failed('PostgreSQL', '127.0.0.1:5432', refused, before); // a late failure of an old call: not a new outage

    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('PostgreSQL unreachable at 127.0.0.1:5432, retrying (connect ECONNREFUSED 127.0.0.1:5432)');
    expect(lines[1]).toMatch(/^PostgreSQL back after \d+\.\d s$/);
    expect(events.map((e) => e.state)).toEqual(['down', 'up']);
    expect(backs).toEqual(['PostgreSQL']);
    expect(log.isDown('PostgreSQL')).toBe(false);
    // A new outage later is reported again.
    log.failed('PostgreSQL', '127.0.0.1:5432', refused);
    expect(lines).toHaveLength(3);
  });

  it('names the address without credentials', () => {
    expect(addressOf('postgres://daybreak:s3cret@db.internal:6543/daybreak')).toBe('db.internal:6543');
    expect(addressOf('redis://:pw@127.0.0.1:6379')).toBe('127.0.0.1:6379');
  });
});
