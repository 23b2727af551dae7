/**
 * The policy editor completes only where a name from the catalog belongs: inside an Action or
 * NotAction string (alone or in a list), and inside a key of a Condition operator block; the slot
 * spans the string being typed so a choice replaces it whole.
 */
import { describe, expect, it } from 'vitest';
import { completionSlotAt, splitServiceName } from '../../src/web/components/policy-completion/slot.ts';

/** The slot at the `|` in `marked` (the marker removed). */
function slotAtMarker(marked: string) {
  const caret = marked.indexOf('|');
  const text = marked.slice(0, caret) + marked.slice(caret + 1);
  return { text, slot: completionSlotAt(text, caret) };
}

describe('completionSlotAt', () => {
  it('finds an action string, alone or in a list, with the span up to its closing quote', () => {
    const { text, slot } = slotAtMarker('{"Statement": [{"Effect": "Allow", "Action": "s3:Get|Obj", "Resource": "*"}]}');
    expect(slot).toMatchObject({ kind: 'action', typed: 's3:Get' });
    expect(text.slice(slot!.from, slot!.to)).toBe('s3:GetObj');
    expect(slotAtMarker('{"Statement": {"NotAction": ["iam:*", "ec|').slot).toMatchObject({ kind: 'action', typed: 'ec' });
    // A line break ends an unterminated string: the span stops at the caret.
    const open = slotAtMarker('{"Action": ["sq|\n]}');
    expect(open.slot).toMatchObject({ kind: 'action', typed: 'sq' });
    expect(open.slot!.to).toBe(open.text.indexOf('\n'));
  });

  it('finds a condition key inside an operator block, not the operator or a value', () => {
    const doc = '{"Statement": [{"Condition": {"StringEquals": {"s3:pre|": "home/"}}}]}';
    expect(slotAtMarker(doc).slot).toMatchObject({ kind: 'conditionKey', typed: 's3:pre' });
    expect(slotAtMarker('{"Condition": {"StringEq|').slot).toBeUndefined();
    expect(slotAtMarker('{"Condition": {"StringEquals": {"s3:prefix": "ho|').slot).toBeUndefined();
    // After the first key/value pair, the next key is a key again.
    expect(slotAtMarker('{"Condition": {"Bool": {"aws:SecureTransport": "true", "aws:Mu|').slot).toMatchObject({ kind: 'conditionKey', typed: 'aws:Mu' });
  });

  it('completes nothing elsewhere: keys, resources, effects, closed strings', () => {
    for (const marked of [
      '{"Statement": [{"Effect": "Al|',
      '{"Statement": [{"Resource": "arn:aws:s3:::b|',
      '{"Statement": [{"Act|',
      '{"Statement": [{"Action": "s3:GetObject"|',
      '{"Statement": [{"Action": "s3:GetObject", "Resource": ["|',
      '{"Statement": [{"Sid": "Action", "Effect": "|',
    ]) {
      expect(slotAtMarker(marked).slot, marked).toBeUndefined();
    }
  });

  it('reads escaped quotes inside strings without losing its place', () => {
    expect(slotAtMarker('{"Sid": "say \\"Action\\"", "Action": "s3|').slot).toMatchObject({ kind: 'action', typed: 's3' });
  });
});

describe('splitServiceName', () => {
  it('splits at the first colon', () => {
    expect(splitServiceName('s3')).toEqual({ service: 's3', rest: undefined });
    expect(splitServiceName('s3:Get')).toEqual({ service: 's3', rest: 'Get' });
    expect(splitServiceName('aws:Principal:Tag')).toEqual({ service: 'aws', rest: 'Principal:Tag' });
  });
});
