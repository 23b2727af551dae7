/** `IpAddress`: the request address lies in the policy's IPv4 or IPv6 CIDR block. */
import { defineOperator } from '../operator.ts';
import { ipInBlock, ipRequest, parseIpBlock, type IpBlock } from '../parse/ip.ts';
import { joinParts } from '../../variables.ts';

/** IpAddress (negated: NotIpAddress). */
export const ipAddress = defineOperator<IpBlock, IpBlock>({
  name: 'IpAddress',
  variables: false,
  preparePolicy: (parts) => parseIpBlock(joinParts(parts)),
  request: ipRequest,
  matches: ipInBlock,
});
