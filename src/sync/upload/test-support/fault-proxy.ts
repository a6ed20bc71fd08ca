// The suite's programmable fault proxy, re-exported for the sync tests.
export { startFaultProxy, type FaultProxy, type FaultRule, type FaultAction, type FaultKind } from '../../../../test/infra/fault-proxy';
