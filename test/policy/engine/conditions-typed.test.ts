// Numeric, Date, Bool, Binary, IP address and ARN operators, User Guide "Condition operators".
import { describe, expect, it } from 'vitest';
import { condition, ctx } from '../support/engine.ts';

describe('Numeric operators', () => {
  const c = ctx({ 's3:max-keys': '10' }, 'numeric');
  it.each([
    ['NumericEquals', '10', true],
    ['NumericEquals', '10.0', true],
    ['NumericNotEquals', '10', false],
    ['NumericNotEquals', '11', true],
    ['NumericLessThan', '11', true],
    ['NumericLessThan', '10', false],
    ['NumericLessThanEquals', '10', true],
    ['NumericGreaterThan', '9', true],
    ['NumericGreaterThan', '10', false],
    ['NumericGreaterThanEquals', '10', true],
    ['NumericEquals', 'ten', false],
  ])('%s %s', (op, v, want) => expect(condition(op, 's3:max-keys', v, c).result).toBe(want));
  it('a request value that is not a number matches nothing', () => {
    expect(condition('NumericLessThan', 'k', '5', ctx({ k: 'abc' })).result).toBe(false);
  });
});

describe('Date operators (ISO 8601 and epoch seconds)', () => {
  const c = ctx({ 'aws:CurrentTime': '2026-06-01T12:00:00Z' }, 'date');
  it.each([
    ['DateLessThan', '2026-06-02T00:00:00Z', true],
    ['DateLessThan', '2026-06-01', false],
    ['DateGreaterThan', '2026-06-01', true],
    ['DateEquals', '2026-06-01T12:00:00Z', true],
    ['DateNotEquals', '2026-06-01T12:00:00Z', false],
    ['DateLessThanEquals', '2026-06-01T12:00:00Z', true],
    ['DateGreaterThanEquals', '2026-06-01T12:00:01Z', false],
    // epoch seconds for 2026-06-01T12:00:00Z
    ['DateEquals', String(Date.UTC(2026, 5, 1, 12) / 1000), true],
    ['DateGreaterThan', 'yesterday', false],
  ])('%s %s', (op, v, want) => expect(condition(op, 'aws:CurrentTime', v, c).result).toBe(want));
  it('compares epoch-second request values', () => {
    const e = ctx({ 'aws:EpochTime': String(Date.UTC(2026, 0, 1) / 1000) });
    expect(condition('DateLessThan', 'aws:EpochTime', '2026-01-02T00:00:00Z', e).result).toBe(true);
  });
});

describe('Bool', () => {
  it('compares true/false case-insensitively', () => {
    const c = ctx({ 'aws:SecureTransport': 'TRUE' }, 'boolean');
    expect(condition('Bool', 'aws:SecureTransport', 'true', c).result).toBe(true);
    expect(condition('Bool', 'aws:SecureTransport', 'false', c).result).toBe(false);
    expect(condition('Bool', 'aws:SecureTransport', 'yes', c).result).toBe(false);
  });
});

describe('BinaryEquals', () => {
  it('compares decoded base64 bytes', () => {
    const c = ctx({ 'k': 'QmluYXJ5VmFsdWU=' }, 'binary');
    expect(condition('BinaryEquals', 'k', 'QmluYXJ5VmFsdWU=', c).result).toBe(true);
    expect(condition('BinaryEquals', 'k', 'QmluYXJ5VmFsdWF=', c).result).toBe(false);
    expect(condition('BinaryEquals', 'k', 'not base64!', c).result).toBe(false);
  });
});

describe('IpAddress / NotIpAddress', () => {
  const v4 = ctx({ 'aws:SourceIp': '203.0.113.77' }, 'ip');
  const v6 = ctx({ 'aws:SourceIp': '2001:db8:1234:5678::1' }, 'ip');
  it('IPv4 CIDR', () => {
    expect(condition('IpAddress', 'aws:SourceIp', '203.0.113.0/24', v4).result).toBe(true);
    expect(condition('IpAddress', 'aws:SourceIp', '203.0.114.0/24', v4).result).toBe(false);
    expect(condition('IpAddress', 'aws:SourceIp', '203.0.113.77', v4).result).toBe(true);
    expect(condition('IpAddress', 'aws:SourceIp', '0.0.0.0/0', v4).result).toBe(true);
    expect(condition('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.0.0/16'], v4).result).toBe(true);
    expect(condition('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '203.0.0.0/8'], v4).result).toBe(false);
  });
  it('IPv6 CIDR', () => {
    expect(condition('IpAddress', 'aws:SourceIp', '2001:db8:1234::/48', v6).result).toBe(true);
    expect(condition('IpAddress', 'aws:SourceIp', '2001:db8:1235::/48', v6).result).toBe(false);
    expect(condition('IpAddress', 'aws:SourceIp', '2001:db8::/32', v4).result).toBe(false);
    expect(condition('IpAddress', 'aws:SourceIp', '2001:db8:1234:5678:0:0:0:1/128', v6).result).toBe(true);
  });
  it('an IPv4-mapped IPv6 request address matches an IPv4 block', () => {
    const mapped = ctx({ 'aws:SourceIp': '::ffff:203.0.113.9' }, 'ip');
    expect(condition('IpAddress', 'aws:SourceIp', '203.0.113.0/24', mapped).result).toBe(true);
  });
});

describe('ARN operators', () => {
  const c = ctx({ 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' });
  it('ArnLike / ArnEquals / ArnNotLike / ArnNotEquals', () => {
    expect(condition('ArnLike', 'aws:SourceArn', 'arn:aws:sns:*:111122223333:*', c).result).toBe(true);
    expect(condition('ArnEquals', 'aws:SourceArn', 'arn:aws:sns:us-east-1:111122223333:topic', c).result).toBe(true);
    expect(condition('ArnNotLike', 'aws:SourceArn', 'arn:aws:sns:*:444455556666:*', c).result).toBe(true);
    expect(condition('ArnNotEquals', 'aws:SourceArn', 'arn:aws:sns:us-east-1:111122223333:topic', c).result).toBe(false);
  });
});
