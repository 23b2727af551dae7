// The statement index by action: a request touches only statements whose Action (or NotAction)
// can match (User Guide: "IAM JSON policy elements: Action" / "NotAction"; actions are case-insensitive).
import { describe, expect, it } from 'vitest';
import { programOf } from '../../../src/policy/compile/index.ts';
import { actionKey } from '../../../src/policy/compile/action-index.ts';
import { policy } from '../support/engine.ts';

const p = policy({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Exact', Effect: 'Allow', Action: ['s3:GetObject', 'S3:PUTOBJECT'], Resource: '*' },
    { Sid: 'ServiceWild', Effect: 'Allow', Action: 's3:Get*', Resource: '*' },
    { Sid: 'AnyService', Effect: 'Allow', Action: '*:Describe*', Resource: '*' },
    { Sid: 'Everything', Effect: 'Deny', Action: '*', Resource: '*' },
    { Sid: 'NotIam', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
    { Sid: 'Ec2', Effect: 'Allow', Action: 'ec2:Describe?nstances', Resource: '*' },
  ],
});
const sids = (action: string) => programOf(p).index.candidatesFor(actionKey(action.toLowerCase())).map((s) => s.doc.sid);

describe('action index', () => {
  it('finds exact, service-wildcard, cross-service and NotAction statements in document order', () => {
    expect(sids('s3:GetObject')).toEqual(['Exact', 'ServiceWild', 'Everything', 'NotIam']);
    expect(sids('s3:putobject')).toEqual(['Exact', 'Everything', 'NotIam']);
    expect(sids('ec2:DescribeInstances')).toEqual(['AnyService', 'Everything', 'NotIam', 'Ec2']);
    expect(sids('iam:GetUser')).toEqual(['Everything']);
  });
  it('gives the same answer through the string memo and the id memo', () => {
    const index = programOf(p).index;
    expect(index.candidates('s3:getobject')).toBe(index.candidatesFor(actionKey('s3:getobject')));
    expect(index.candidatesFor({ lower: 's3:getobject', id: -1 })).toBe(index.candidates('s3:getobject'));
  });
});
