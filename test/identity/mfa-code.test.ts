/** SerialNumber and TokenCode of AssumeRole and GetSessionToken go together (src/sts/mfa-code.ts). */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { mfaCodeOf } from '../../src/sts/mfa-code.ts';

describe('mfaCodeOf', () => {
  it('is undefined when neither field is sent', () => {
    expect(mfaCodeOf({})).toBeUndefined();
    expect(mfaCodeOf({ serialNumber: null, tokenCode: null })).toBeUndefined();
  });

  it('pairs the two fields', () => {
    expect(mfaCodeOf({ serialNumber: 'arn:aws:iam::111122223333:mfa/dev', tokenCode: '123456' })).toEqual({
      serialNumber: 'arn:aws:iam::111122223333:mfa/dev',
      tokenCode: '123456',
    });
  });

  it.each([
    [{ serialNumber: 'arn:aws:iam::111122223333:mfa/dev' }, 'input.tokenCode'],
    [{ tokenCode: '123456' }, 'input.serialNumber'],
    [{ serialNumber: '', tokenCode: '123456' }, 'input.serialNumber'],
  ])('names the missing field of %j', (input, field) => {
    const error = (() => {
      try {
        mfaCodeOf(input);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field, rule: 'required' });
  });
});
