export { addressBytes, type Cidr, forbiddenRange, parseAllowList, parseCidr } from './address-policy';
export { type CheckedTarget, OutboundGuard, OutboundRefused, type Resolver, sendTo } from './outbound-http';
